package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The purge service as the edge meets it in production: its packaged jar in a process of its own (the edge shares
 * no code with it), on a fixed loopback port so it can be stopped and started again on the same log.
 */
final class PurgeServiceProcess implements AutoCloseable {
  static final String ADMIN_TOKEN = "edge-tests-admin-token-0001";
  static final String EDGE_TOKEN = "edge-tests-edge-token-00001";

  private final Path config;
  private final Path log;
  private final int port;
  private Process process;

  private PurgeServiceProcess(Path config, Path log, int port) {
    this.config = config;
    this.log = log;
    this.port = port;
  }

  static PurgeServiceProcess start(Path dir) throws IOException {
    return start(dir, null);
  }

  /** With {@code natsUrl}, the log is a JetStream stream on that server. */
  static PurgeServiceProcess start(Path dir, String natsUrl) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = Files.writeString(dir.resolve("purge.yaml"), String.join("\n",
        "listen: 127.0.0.1:" + port,
        "dataDir: " + dir.resolve("purge-data"),
        "edgeToken: " + EDGE_TOKEN,
        "tokens:",
        "  admin: {token: " + ADMIN_TOKEN + ", hosts: ['*'], rights: [url, prefix, tag, all], "
            + "ratePerSecond: 100000, burst: 100000}",
        natsUrl == null ? "" : "log: {backend: nats, nats: {url: '" + natsUrl + "', stream: CACHALOT_PURGES}}",
        ""));
    PurgeServiceProcess p = new PurgeServiceProcess(config, dir.resolve("purge-service.log"), port);
    p.start();
    return p;
  }

  void start() throws IOException {
    Path jar = Path.of("..", "purge-service", "target", "cachalot-purge-service.jar");
    assertThat(jar).as("the purge service is packaged before the edge's tests (mvn verify)").exists();
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    process = new ProcessBuilder(javaBin, "-jar", jar.toString(), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    assertThat(Await.until(() -> Await.listening(port), java.time.Duration.ofSeconds(30)))
        .as("purge service listening (log %s)", log).isTrue();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: the way a crashed or unplugged service disappears. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
