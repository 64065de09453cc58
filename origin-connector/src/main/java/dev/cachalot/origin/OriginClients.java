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

  /** The client for one origin behind breaker, bulkhead and retries. */
  public static OriginClient create(OriginConfig config) {
    return create(config, OriginObserver.NONE);
  }

  /** As {@link #create(OriginConfig)}, reporting each attempt to {@code observer}. */
  public static OriginClient create(OriginConfig config, OriginObserver observer) {
    OriginClient raw = config.isFile() ? new FileOriginClient(config)
        : config.s3() != null ? new S3OriginClient(config, Clock.systemUTC())
        : new OkHttpOriginClient(config);
    return new ResilientOriginClient(config.name(), raw, config.resilience(), TIMER, System::nanoTime, observer);
  }

  /** A router over every configured origin. */
  public static OriginRouter router(List<OriginConfig> origins, OriginObserver observer) {
    List<OriginClient> clients = new ArrayList<>();
    for (OriginConfig o : origins) {
      clients.add(create(o, observer));
    }
    return new OriginRouter(origins, clients);
  }
}
