package dev.cachalot.origin;

import dev.cachalot.config.OriginConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Builds origin clients from config. */
public final class OriginClients {
  /** One timer thread for every origin's backoff and queue timeouts: the tasks are tiny. */
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "origin-timer");
    t.setDaemon(true);
    return t;
  });

  private OriginClients() {}

  /** The client for one origin: {@code file:} as it is, HTTP and S3 behind breaker, bulkhead and retries. */
  public static OriginClient create(OriginConfig config) {
    if (config.isFile()) {
      return new FileOriginClient(config);
    }
    OriginClient raw = config.s3() != null ? new S3OriginClient(config, Clock.systemUTC())
        : new OkHttpOriginClient(config);
    return new ResilientOriginClient(config.name(), raw, config.resilience(), TIMER, System::nanoTime);
  }

  /** A router over every configured origin. */
  public static OriginRouter router(List<OriginConfig> origins) {
    List<OriginClient> clients = new ArrayList<>();
    for (OriginConfig o : origins) {
      clients.add(create(o));
    }
    return new OriginRouter(origins, clients);
  }
}
