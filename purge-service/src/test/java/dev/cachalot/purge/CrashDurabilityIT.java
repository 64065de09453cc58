package dev.cachalot.purge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged purge service as a real process, killed with SIGKILL right after its 202s. */
class CrashDurabilityIT extends PurgeServiceTestBase {
  @TempDir Path dir;

  private Process launch(Path config) throws IOException {
    Path jar = Path.of("target", "cachalot-purge-service.jar");
    assertThat(jar).as("packaged by mvn verify").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-jar", jar.toString(), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()))
        .start();
  }

  private static boolean healthy(String base) {
    try {
      return call("GET", base + "/healthz", null, null).code() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitHealthy(String base, Process p) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!healthy(base)) {
      assertThat(p.isAlive()).as("service process alive").isTrue();
      assertThat(System.nanoTime()).as("healthy within 30 s").isLessThan(deadline);
      try {
        p.waitFor(50, TimeUnit.MILLISECONDS); // returns early if the process dies
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void everyAcknowledgedPurgeSurvivesKillMinus9() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = Files.writeString(dir.resolve("purge.yaml"), String.join("\n",
        "listen: 127.0.0.1:" + port,
        "dataDir: " + dir.resolve("data"),
        "tokens:",
        "  admin: {token: " + ADMIN + ", hosts: ['*'], rights: [url, prefix, tag, all], ratePerSecond: 100000, "
            + "burst: 100000}",
        ""));
    String base = "http://127.0.0.1:" + port;
    Process p = launch(config);
    awaitHealthy(base, p);
    List<CompletableFuture<Long>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String body = "{\"urls\": [\"https://img.example.com/" + i + ".jpg\"]}";
      sent.add(CompletableFuture.supplyAsync(() -> {
        try {
          Answer a = call("POST", base + "/v1/purge", ADMIN, body);
          return a.code() == 202 ? new ObjectMapper().readTree(a.body()).path("seq").asLong() : -1L;
        } catch (IOException e) {
          return -1L; // cut off by the kill: never acknowledged
        }
      }));
    }
    // kill -9 as soon as the 50th acknowledgement arrives, with the rest still in flight
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sent.stream().filter(f -> f.isDone() && f.join() > 0).count() < 50 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    List<Long> acknowledged = new ArrayList<>();
    for (CompletableFuture<Long> f : sent) {
      long seq = f.get(30, TimeUnit.SECONDS);
      if (seq > 0) {
        acknowledged.add(seq);
      }
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(50);

    Process again = launch(config);
    try {
      awaitHealthy(base, again);
      var page = new ObjectMapper().readTree(call("GET", base + "/v1/log?after=0&limit=1000", null, null).body());
      long head = page.path("head").asLong();
      assertThat(head).as("every acknowledged purge is in the log").isGreaterThanOrEqualTo(
          acknowledged.stream().mapToLong(Long::longValue).max().orElseThrow());
      assertThat(page.path("records")).hasSize((int) head);
      for (int i = 0; i < head; i++) {
        assertThat(page.path("records").get(i).path("seq").asLong()).as("contiguous").isEqualTo(i + 1);
      }
    } finally {
      again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
