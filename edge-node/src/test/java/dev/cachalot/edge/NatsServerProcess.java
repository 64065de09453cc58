package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real nats-server with JetStream (Debian's package, installed by .ci/run) on a loopback port. */
final class NatsServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private NatsServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static NatsServerProcess start(Path dir) throws IOException {
    Path binary = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? Path.of("/usr/sbin/nats-server")
        : ExternalTool.require("nats-server", "nats-server");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    Process p = new ProcessBuilder(binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
        "-sd", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("nats-server.log").toFile()).start();
    NatsServerProcess n = new NatsServerProcess(p, port);
    assertThat(Await.until(() -> Await.listening(n.port), Duration.ofSeconds(20))).as("nats-server listening").isTrue();
    return n;
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
