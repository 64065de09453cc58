package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.OpsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counters after a scripted mix of answers; /metrics formats; promtool; the admin token; the access log. */
class MetricsIT extends EdgeTestBase {
  static final String TOKEN = "metrics-test-token-0123456789";
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
  @TempDir static Path logDir;

  @Override
  protected EdgeConfig config() {
    return super.config().withOps(OpsConfig.defaults().withAdminToken(TOKEN)
        .withAccessLog(logDir.resolve("access.log").toString()));
  }

  String admin(String path, String... headers) throws IOException {
    Request.Builder b = new Request.Builder()
        .url("http://127.0.0.1:" + edge.adminAddress().getPort() + path)
        .header("Authorization", "Bearer " + TOKEN);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try (Response r = client.newCall(b.build()).execute()) {
      assertThat(r.code()).as(path).isEqualTo(200);
      return r.body().string();
    }
  }

  /** Sums of a metric's samples by one label. */
  static Map<String, Double> sumBy(String scrape, String metric, String label) {
    Map<String, Double> out = new HashMap<>();
    Matcher m = SAMPLE.matcher(scrape);
    Pattern labelValue = Pattern.compile(label + "=\"([^\"]*)\"");
    while (m.find()) {
      if (!m.group(1).equals(metric)) {
        continue;
      }
      Matcher lv = labelValue.matcher(m.group(2));
      String key = lv.find() ? lv.group(1) : "";
      out.merge(key, Double.parseDouble(m.group(3)), Double::sum);
    }
    return out;
  }

  private void scriptedMix() throws Exception {
    enqueueFresh("aaaa", 60);
    for (int i = 0; i < 4; i++) {
      assertThat(get("/a").body()).isEqualTo("aaaa");                      // 1 miss, 3 hits
    }
    enqueue(200, "pp", "Cache-Control", "no-store");
    assertThat(get("/p").body()).isEqualTo("pp");                          // pass
    enqueue(200, "ssss", "Cache-Control", "max-age=1, stale-if-error=600");
    assertThat(get("/s").body()).isEqualTo("ssss");                        // miss
    enqueue(200, "rrrrr", "Cache-Control", "max-age=1", "ETag", "\"r1\"");
    assertThat(get("/r").body()).isEqualTo("rrrrr");                       // miss
    clock.advanceSeconds(5);
    enqueue(503, "down");
    assertThat(get("/s").body()).isEqualTo("ssss");                        // stale
    enqueue(304, "", "ETag", "\"r1\"", "Cache-Control", "max-age=60");
    assertThat(get("/r").body()).isEqualTo("rrrrr");                       // revalidated
    enqueue(500, "boom");
    assertThat(get("/e").code()).isEqualTo(500);                           // error
  }

  @Test
  void countersEqualWhatWasSentAndTheRatiosFollow() throws Exception {
    scriptedMix();
    assertThat(Await.until(() -> total(scrape()) == 10, Duration.ofSeconds(10))).as("10 requests counted").isTrue();
    String scrape = scrape();
    Map<String, Double> byResult = sumBy(scrape, "cachalot_requests_total", "result");
    assertThat(byResult).containsEntry("hit", 3.0).containsEntry("miss", 3.0).containsEntry("pass", 1.0)
        .containsEntry("stale", 1.0).containsEntry("revalidated", 1.0).containsEntry("error", 1.0);
    Map<String, Double> bytes = sumBy(scrape, "cachalot_served_bytes_total", "result");
    assertThat(bytes).containsEntry("hit", 12.0).containsEntry("miss", 13.0).containsEntry("pass", 2.0)
        .containsEntry("stale", 4.0).containsEntry("revalidated", 5.0).containsEntry("error", 4.0);
    double origin = sumBy(scrape, "cachalot_origin_bytes_total", "origin").get("default");
    // bodies read: aaaa pp ssss rrrrr boom; the 503's body was closed unread, since a stale copy was served
    assertThat(origin).isEqualTo(4 + 2 + 4 + 5 + 4);
    assertThat(sumBy(scrape, "cachalot_origin_requests_total", "outcome"))
        .containsEntry("2xx", 4.0).containsEntry("3xx", 1.0).containsEntry("5xx", 2.0);

    JsonNode stats = new ObjectMapper().readTree(admin("/admin/stats"));
    assertThat(stats.at("/requests/total").asLong()).isEqualTo(10);
    assertThat(stats.at("/ratios/requestHitRatio").asDouble()).isEqualTo(4 / 10.0);  // hit + stale
    assertThat(stats.at("/ratios/byteHitRatio").asDouble()).isEqualTo((12 + 4 + 5) / 40.0);
    assertThat(stats.at("/ratios/originOffload").asDouble()).isEqualTo(1 - 19 / 40.0);
    assertThat(stats.at("/tiers/0/tier").asText()).isEqualTo("memory");
    assertThat(stats.at("/origins/0/breaker").asText()).isEqualTo("closed");

    Path log = logDir.resolve("access.log");
    assertThat(Await.until(() -> lines(log) >= 10, Duration.ofSeconds(10))).as("access log lines").isTrue();
    String text = Files.readString(log);
    assertThat(text).contains("\"GET /a HTTP/1.1\" 200 4 \"-\" \"okhttp/")
        .contains("cache=hit tier=memory origin_ms=- total_ms=")
        .contains("cache=stale tier=memory").contains("cache=revalidated").contains("cache=pass tier=origin");
    assertThat(text).doesNotContain(TOKEN);
    assertThat(text.lines()).allSatisfy(line -> assertThat(line)
        .matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] \".*"));
  }

  private static long lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private String scrape() {
    try {
      return admin("/metrics");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double total(String scrape) {
    return sumBy(scrape, "cachalot_requests_total", "result").values().stream().mapToDouble(d -> d).sum();
  }

  @Test
  void openMetricsByContentNegotiation() throws Exception {
    enqueueFresh("x", 60);
    get("/x");
    String om = admin("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(om).contains("# TYPE cachalot_requests counter").endsWith("# EOF\n");
    String text = admin("/metrics");
    assertThat(text).contains("# TYPE cachalot_requests_total counter").doesNotContain("# EOF");
  }

  @Test
  void theAdminTokenGuardsEverythingButHealth() throws Exception {
    String base = "http://127.0.0.1:" + edge.adminAddress().getPort();
    for (String path : new String[] {"/metrics", "/admin/stats", "/admin/config"}) {
      try (Response r = client.newCall(new Request.Builder().url(base + path).build()).execute()) {
        assertThat(r.code()).as(path).isEqualTo(401);
      }
      try (Response r = client.newCall(new Request.Builder().url(base + path)
          .header("Authorization", "Bearer " + TOKEN + "x").build()).execute()) {
        assertThat(r.code()).as(path + " with a wrong token").isEqualTo(401);
      }
    }
    for (String path : new String[] {"/healthz", "/readyz", "/admin/"}) {
      try (Response r = client.newCall(new Request.Builder().url(base + path).build()).execute()) {
        assertThat(r.code()).as(path).isEqualTo(200);
      }
    }
    String config = admin("/admin/config");
    assertThat(config).contains("\"adminToken\" : \"<redacted>\"").doesNotContain(TOKEN);
  }

  @Test
  void promtoolAcceptsTheScrapeAndTheRules() throws Exception {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    scriptedMix();
    Path scrape = Files.writeString(logDir.resolve("scrape.txt"), scrape());
    assertThat(run(promtool.toString(), "check", "metrics", "<" + scrape)).isZero();
    assertThat(run(promtool.toString(), "check", "rules", rulesFile().toString())).isZero();
  }

  static Path rulesFile() {
    return Path.of("..", "config", "prometheus", "cachalot-rules.yml").toAbsolutePath().normalize();
  }

  /** Runs a command (a last argument "<FILE" is its stdin); fails the test with its output on a non-zero exit. */
  static int run(String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder().redirectErrorStream(true);
    String last = command[command.length - 1];
    if (last.startsWith("<")) {
      pb.command(java.util.Arrays.copyOf(command, command.length - 1));
      pb.redirectInput(Path.of(last.substring(1)).toFile());
    } else {
      pb.command(command);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
    return p.exitValue();
  }
}
