package dev.cachalot.edge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachalot.edge.EdgeNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: flags, config errors, port in use, and the real launcher script. */
class CommandLineIT {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private EdgeNode start(String... args) {
    return Main.start(args, new PrintStream(out, true, StandardCharsets.UTF_8), Map.of());
  }

  private static String failure(Runnable r) {
    try {
      r.run();
    } catch (CliException e) {
      return e.exitCode + " " + e.getMessage();
    }
    throw new AssertionError("expected a CliException");
  }

  @Test
  void unknownFlagAndMissingValueAreRejected() {
    assertThat(failure(() -> start("edge", "--bogus", "1"))).isEqualTo("2 unknown option '--bogus' (see 'cachalot help')");
    assertThat(failure(() -> start("edge", "--listen"))).isEqualTo("2 option --listen needs a value");
    assertThat(failure(() -> start("serve"))).startsWith("2 unknown command 'serve'");
  }

  @Test
  void badConfigurationListsEveryProblemWithItsPath() {
    String msg = failure(() -> start("edge", "--listen", "nowhere", "--memory-size", "lots", "--origin", "ftp://x"));
    assertThat(msg).startsWith("2 invalid configuration (3 problems)")
        .contains("listen: expected HOST:PORT")
        .contains("cache.memorySize: not a size")
        .contains("origin.url: must be http://, https:// or file:");
  }

  @Test
  void configFileProblemsNameTheirPaths() throws Exception {
    Path yaml = tmp.resolve("edge.yaml");
    Files.writeString(yaml, "origin:\n  url: http://127.0.0.1:1\n  idleTimeout: soon\ncache:\n  memorySzie: 1g\n");
    String msg = failure(() -> start("edge", "--config", yaml.toString()));
    assertThat(msg).contains("origin.idleTimeout: not a duration").contains("cache.memorySzie: unknown key");
  }

  @Test
  void portInUseIsReportedInOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String msg = failure(() -> start("edge", "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:0",
          "--origin", "http://127.0.0.1:1"));
      assertThat(msg).isEqualTo("1 cannot listen on 127.0.0.1:" + port + " (listen): address already in use or not available");
    }
  }

  @Test
  void flagsOverrideTheConfigFile() throws Exception {
    Path yaml = tmp.resolve("edge.yaml");
    Files.writeString(yaml, "listen: 127.0.0.1:1\norigin:\n  url: http://127.0.0.1:1\n");
    try (EdgeNode node = start("edge", "--config", yaml.toString(), "--listen", "127.0.0.1:0", "--admin",
        "127.0.0.1:0", "--memory-size", "32MiB")) {
      assertThat(node.address().getPort()).isNotEqualTo(1);
      assertThat(node.config().cache().memorySize()).isEqualTo(32L << 20);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("cachalot edge listening on http://127.0.0.1:");
    }
  }

  @Test
  void mappedTierFlagsOpenThePersistedTier() throws Exception {
    Path dir = tmp.resolve("mapped");
    try (EdgeNode node = start("edge", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--origin",
        "http://127.0.0.1:1", "--mapped-dir", dir.toString(), "--mapped-size", "32MiB")) {
      assertThat(node.config().mapped().size()).isEqualTo(32L << 20);
      assertThat(dir.resolve("FORMAT")).exists();
      HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    }
    assertThat(failure(() -> start("edge", "--origin", "http://127.0.0.1:1", "--mapped-dir", dir.toString(),
        "--mapped-size", "-1GiB"))).startsWith("2 invalid configuration: tiers.mapped.size: not a size");
  }

  @Test
  void demoServesPhotosAndVideoFromTheBundledOrigin() throws Exception {
    EdgeNode node = Demo.start(Map.of("listen", "127.0.0.1:0", "admin.listen", "127.0.0.1:0"),
        Map.of("CACHALOT_DEMO_DIR", tmp.resolve("demo").toString()), new PrintStream(out, true, StandardCharsets.UTF_8));
    try (node) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + node.address().getPort();
      HttpResponse<byte[]> miss = http.send(HttpRequest.newBuilder(URI.create(base + "/photos/whale-01.jpg")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> hit = http.send(HttpRequest.newBuilder(URI.create(base + "/photos/whale-01.jpg")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(miss.headers().firstValue("Content-Type")).hasValue("image/jpeg");
      assertThat(miss.headers().firstValue("Cache-Status").orElseThrow()).contains("fwd=uri-miss");
      assertThat(hit.headers().firstValue("Cache-Status").orElseThrow()).startsWith("cachalot; hit");
      assertThat(hit.body()).isEqualTo(miss.body());
      assertThat(hit.headers().firstValue("ETag")).isPresent();
      HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(URI.create(base + "/video/sample.mp4"))
          .header("Range", "bytes=0-1023").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).hasSize(1024);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("curl -sI " + base + "/photos/whale-01.jpg");
      assertThat(tmp.resolve("demo/tier/FORMAT")).as("the demo keeps a mapped tier").exists();
    }
  }

  @Test
  void launcherScriptReportsABadFlagAndExitsNonZero() throws Exception {
    Path launcher = Path.of("..", "bin", "cachalot").toAbsolutePath().normalize();
    Process p = new ProcessBuilder(List.of("sh", launcher.toString(), "edge", "--bogus"))
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isEqualTo(2);
    assertThat(output.strip()).isEqualTo("cachalot: unknown option '--bogus' (see 'cachalot help')");
  }

  @Test
  void helpPrintsUsage() {
    assertThat(start("help")).isNull();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: cachalot edge --origin URL");
    assertThatThrownBy(() -> start()).isInstanceOf(CliException.class);
  }
}
