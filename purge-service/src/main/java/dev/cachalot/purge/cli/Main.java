package dev.cachalot.purge.cli;

import dev.cachalot.config.ConfigException;
import dev.cachalot.config.ConfigLoader;
import dev.cachalot.config.PurgeServiceConfig;
import dev.cachalot.purge.PurgeService;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/** {@code cachalot purge-service [--listen HOST:PORT] [--config FILE] [--data-dir DIR] [--set key=value]}. */
public final class Main {
  static final String USAGE = String.join("\n",
      "usage: cachalot purge-service [--listen HOST:PORT] [--config FILE] [--data-dir DIR] [--set key=value]",
      "",
      "Runs the purge service: the publisher API (POST /v1/purge), its durable log, and the log edges follow.",
      "See config/purge.yaml and docs/purge-api.md.");

  private static final Map<String, String> FLAGS = Map.of("--listen", "listen", "--data-dir", "dataDir");

  private Main() {}

  public static void main(String[] args) {
    @Nullable PurgeService service;
    try {
      service = start(args, System.getenv());
    } catch (UsageException e) {
      System.err.println("cachalot purge-service: " + e.getMessage());
      System.exit(2);
      return;
    } catch (UncheckedIOException | IllegalStateException e) {
      System.err.println("cachalot purge-service: " + e.getMessage());
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      System.err.println("cachalot purge-service: cannot start: " + root.getMessage());
      System.exit(1);
      return;
    }
    if (service == null) {
      return;
    }
    System.out.println("Cachalot purge service on http://" + hostPort(service) + " (log in "
        + service.config().dataDir() + ", " + service.head() + " purges)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }, "purge-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostPort(PurgeService s) {
    return s.address().getHostString() + ":" + s.address().getPort();
  }

  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Null for help. */
  static @Nullable PurgeService start(String[] args, Map<String, String> env) {
    Map<String, String> overrides = new HashMap<>();
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("help") || a.equals("--help") || a.equals("-h")) {
        System.out.println(USAGE);
        return null;
      }
      if (i + 1 >= args.length) {
        throw new UsageException("unknown flag or missing value: " + a + "\n" + USAGE);
      }
      String value = args[++i];
      if (a.equals("--config")) {
        config = Path.of(value);
      } else if (a.equals("--set")) {
        int eq = value.indexOf('=');
        if (eq < 1) {
          throw new UsageException("--set needs key=value (was '" + value + "')");
        }
        overrides.put(value.substring(0, eq), value.substring(eq + 1));
      } else if (FLAGS.containsKey(a)) {
        overrides.put(FLAGS.get(a), value);
      } else {
        throw new UsageException("unknown flag: " + a + "\n" + USAGE);
      }
    }
    PurgeServiceConfig c;
    try {
      c = ConfigLoader.loadPurgeService(config, env, overrides);
    } catch (ConfigException e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
    try {
      return PurgeService.start(c);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root instanceof java.net.BindException) {
        throw new IllegalStateException("cannot listen on " + c.listen() + ": address already in use");
      }
      throw e;
    }
  }
}
