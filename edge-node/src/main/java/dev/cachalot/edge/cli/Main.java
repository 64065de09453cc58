package dev.cachalot.edge.cli;

import dev.cachalot.config.ConfigException;
import dev.cachalot.config.ConfigLoader;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.edge.EdgeNode;
import dev.cachalot.edge.EdgeStartException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * {@code cachalot edge|demo [flags]}. Flags override the config file, which overrides built-in defaults;
 * {@code CACHALOT_*} environment variables sit between the file and the flags.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "usage: cachalot edge --origin URL [--listen HOST:PORT] [--admin HOST:PORT] [--config FILE] [--memory-size SIZE]",
      "                     [--mapped-dir DIR] [--mapped-size SIZE]",
      "       cachalot demo [--listen HOST:PORT] [--admin HOST:PORT]",
      "       cachalot purge-service [--listen HOST:PORT] [--config FILE] [--data-dir DIR]",
      "       cachalot simulate --trace FILE [--sizes 0.5%,5%] [--policies lru,cachalot,belady] [--csv]",
      "       cachalot help",
      "",
      "  edge   run an edge cache in front of one origin (http://, https:// or file:DIR)",
      "  demo   run an edge in front of a bundled local origin of sample photos and a video, with a purge service",
      "  purge-service  run the purge service: publisher API, durable purge log, the log edges follow",
      "  simulate  replay a cache trace through Cachalot's memory tier, LRU and Belady (hit ratios)",
      "",
      "Every config key can also be set with --set key=value or a CACHALOT_* environment variable",
      "(cache.memorySize -> CACHALOT_CACHE_MEMORY_SIZE). See config/edge.yaml.");

  /** Flags that take a value, and the config path each sets. */
  private static final Map<String, String> FLAGS = Map.of(
      "--listen", "listen",
      "--origin", "origin.url",
      "--admin", "admin.listen",
      "--memory-size", "cache.memorySize",
      "--mapped-dir", "tiers.mapped.dir",
      "--mapped-size", "tiers.mapped.size");

  private Main() {}

  public static void main(String[] args) {
    EdgeNode node;
    try {
      node = start(args, System.out, System.getenv());
    } catch (CliException e) {
      System.err.println("cachalot: " + e.getMessage());
      System.exit(e.exitCode);
      return;
    }
    if (node == null) {
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "cachalot-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parses, loads config, starts. Returns null for commands that do not start a server (help). */
  static @Nullable EdgeNode start(String[] args, PrintStream out, Map<String, String> env) {
    if (args.length == 0) {
      throw new CliException(2, "no command given\n" + USAGE);
    }
    String command = args[0];
    switch (command) {
      case "help", "--help", "-h" -> {
        out.println(USAGE);
        return null;
      }
      case "edge", "demo" -> { }
      default -> throw new CliException(2, "unknown command '" + command + "' (expected edge, demo or help)");
    }
    Map<String, String> overrides = new HashMap<>();
    Path configFile = null;
    for (int i = 1; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      boolean known = FLAGS.containsKey(flag) || flag.equals("--config") || flag.equals("--set");
      if (!known) {
        throw new CliException(2, "unknown option '" + args[i] + "' (see 'cachalot help')");
      }
      if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new CliException(2, "option " + flag + " needs a value");
        }
        value = args[++i];
      }
      switch (flag) {
        case "--config" -> configFile = Path.of(value);
        case "--set" -> {
          int kv = value.indexOf('=');
          if (kv <= 0) {
            throw new CliException(2, "--set needs key=value (was '" + value + "')");
          }
          overrides.put(value.substring(0, kv), value.substring(kv + 1));
        }
        default -> overrides.put(FLAGS.get(flag), value);
      }
    }
    if (command.equals("demo")) {
      return Demo.start(overrides, env, out);
    }
    EdgeNode node = startEdge(configFile, env, overrides);
    out.println("cachalot edge listening on http://" + hostPort(node.address()) + " (admin http://"
        + hostPort(node.adminAddress()) + "), " + describeOrigins(node.config().origins()));
    out.flush();
    return node;
  }

  static EdgeNode startEdge(@Nullable Path configFile, Map<String, String> env, Map<String, String> overrides) {
    EdgeConfig config;
    try {
      config = ConfigLoader.loadEdge(configFile, env, overrides);
    } catch (ConfigException e) {
      throw new CliException(2, String.valueOf(e.getMessage()));
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (config.cache().memorySize() > heap * 3 / 4) {
      throw new CliException(2, "cache.memorySize (" + config.cache().memorySize() + " bytes) needs a larger heap: "
          + "the JVM may use " + heap + " bytes; set CACHALOT_JAVA_OPTS=-Xmx... to about 1.5x the cache size");
    }
    try {
      return EdgeNode.start(config);
    } catch (EdgeStartException e) {
      throw new CliException(1, String.valueOf(e.getMessage()));
    }
  }

  static String hostPort(java.net.InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private static String describeOrigins(java.util.List<dev.cachalot.config.OriginConfig> origins) {
    if (origins.size() == 1 && origins.get(0).hosts().equals(dev.cachalot.config.OriginConfig.ALL_HOSTS)) {
      return "origin " + originAddress(origins.get(0));
    }
    StringBuilder sb = new StringBuilder("origins");
    for (var o : origins) {
      sb.append(' ').append(o.name()).append('=').append(originAddress(o)).append(" for ").append(o.hosts());
    }
    return sb.toString();
  }

  private static String originAddress(dev.cachalot.config.OriginConfig o) {
    var s3 = o.s3();
    return s3 == null ? o.url().toString() : "s3:" + o.url() + "/" + s3.bucket() + "/" + s3.prefix();
  }
}
