package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files operators get in config/: a real Prometheus with the shipped scrape config and rules reads the hit
 * ratio back; the Grafana dashboard names only what exists; the status page renders in headless Chromium.
 */
class OperatorFilesIT extends EdgeTestBase {
  private static final Pattern NAME = Pattern.compile("\\bcachalot[_:][a-z0-9_:]*");
  @TempDir Path tmp;

  /** Follows a purge service that is not there, so the purge gauges exist (and catch-up gives up at once). */
  @Override
  protected dev.cachalot.config.EdgeConfig config() {
    return super.config().withPurge(new dev.cachalot.config.PurgeFollowConfig(java.net.URI.create(
        "http://127.0.0.1:1"), "edge-under-test", null, Duration.ZERO,
        dev.cachalot.config.PurgeFollowConfig.Unreachable.REVALIDATE));
  }

  private String adminUrl(String path) {
    return "http://127.0.0.1:" + edge.adminAddress().getPort() + path;
  }

  private String fetch(String url) throws IOException {
    try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return r.body().string();
    }
  }

  private static Path configFile(String... parts) {
    return Path.of("..", "config").resolve(Path.of("", parts)).toAbsolutePath().normalize();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private final AtomicInteger misses = new AtomicInteger();

  private boolean hotStored;

  /** One miss and three hits: a request hit ratio of 3/4 (after the hot object's own first miss). */
  private void round() throws IOException {
    if (!hotStored) {
      enqueueFresh("hot-body", 600);
      get("/hot");
      hotStored = true;
    }
    enqueueFresh("miss-body", 600);
    get("/round/" + misses.incrementAndGet());
    for (int i = 0; i < 3; i++) {
      assertThat(get("/hot").hit()).isTrue();
    }
  }

  @Test
  void aRealPrometheusReadsTheHitRatioRecordingRuleBack() throws Exception {
    Path prometheus = ExternalTool.require("prometheus", "prometheus");
    round();
    String scrapeConfig = Files.readString(configFile("prometheus", "prometheus.yml"))
        .replace("scrape_interval: 15s", "scrape_interval: 1s")
        .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
        .replace("127.0.0.1:9090", "127.0.0.1:" + edge.adminAddress().getPort());
    Files.writeString(tmp.resolve("prometheus.yml"), scrapeConfig);
    Files.copy(configFile("prometheus", "cachalot-rules.yml"), tmp.resolve("cachalot-rules.yml"));
    int port = freePort();
    Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + tmp.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
    try {
      String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
      assertThat(Await.until(() -> value(api, "up{job=\"cachalot\"}") == 1.0, Duration.ofSeconds(30)))
          .as("Prometheus scrapes the edge").isTrue();
      List<Double> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int rounds = 0;
      while (System.nanoTime() < deadline) {
        round();
        rounds++;
        double ratio = value(api, "cachalot:request_hit_ratio:rate5m");
        if (!Double.isNaN(ratio)) {
          seen.add(ratio);
        }
        if (seen.size() >= 3 && rounds >= 40) {
          break;
        }
      }
      assertThat(seen).as("the recording rule has values (log: %s)", tmp.resolve("prometheus.log")).isNotEmpty();
      // 3 hits per miss; the first scrapes' edges make it approximate
      assertThat(seen.get(seen.size() - 1)).isBetween(0.6, 0.85);
      double offload = value(api, "cachalot:origin_offload:rate5m");
      assertThat(offload).isBetween(0.0, 1.0);
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The first sample's value of an instant query, NaN when there is none. */
  private double value(String api, String query) {
    try {
      JsonNode r = new ObjectMapper().readTree(fetch(api + URLEncoder.encode(query, StandardCharsets.UTF_8)));
      JsonNode result = r.at("/data/result");
      if (!result.isArray() || result.isEmpty()) {
        return Double.NaN;
      }
      return Double.parseDouble(result.get(0).at("/value/1").asText());
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  @Test
  void theGrafanaDashboardAndTheRulesNameOnlyWhatTheEdgeExports() throws Exception {
    round();
    String scrape = fetch(adminUrl("/metrics"));
    Set<String> exported = new LinkedHashSet<>();
    Matcher m = Pattern.compile("^(cachalot_[a-z0-9_]+)[{ ]", Pattern.MULTILINE).matcher(scrape);
    while (m.find()) {
      exported.add(m.group(1));
    }
    String rules = Files.readString(configFile("prometheus", "cachalot-rules.yml"));
    Set<String> recorded = new LinkedHashSet<>();
    Matcher r = Pattern.compile("record: (\\S+)").matcher(rules);
    while (r.find()) {
      recorded.add(r.group(1));
    }
    JsonNode dashboard = new ObjectMapper().readTree(configFile("grafana", "cachalot-dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    dashboard.at("/panels").forEach(panel -> panel.at("/targets").forEach(t -> exprs.add(t.at("/expr").asText())));
    assertThat(exprs).hasSizeGreaterThan(8);
    Matcher e = Pattern.compile("expr: \\|?\\s*([^\\n]+(?:\\n {12,}[^\\n]+)*)").matcher(rules);
    while (e.find()) {
      exprs.add(e.group(1));
    }
    for (String expr : exprs) {
      Matcher n = NAME.matcher(expr);
      while (n.find()) {
        String name = n.group();
        if (name.contains(":")) {
          assertThat(recorded).as("recording rule used in: " + expr).contains(name);
        } else {
          assertThat(exported).as("metric used in: " + expr).contains(name);
        }
      }
    }
    for (String title : List.of("Request hit ratio", "Byte hit ratio", "Origin offload",
        "Requests per second by result", "Origin latency (time to response head)", "Tier fill", "Purge lag")) {
      assertThat(dashboard.at("/panels").findValuesAsText("title")).contains(title);
    }
  }

  @Test
  void theStatusPageRendersTheNumbersOfAdminStatsInChromium() throws Exception {
    Path chromium = ExternalTool.require("chromium", "chromium");
    for (int i = 0; i < 3; i++) {
      round();
    }
    // the hot object's first miss, then 3 rounds of 4: counted once each request has completed
    assertThat(Await.until(() -> requestsCounted() == 13, java.time.Duration.ofSeconds(10))).isTrue();
    JsonNode stats = new ObjectMapper().readTree(fetch(adminUrl("/admin/stats")));
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + tmp.resolve("chromium"), "--virtual-time-budget=10000",
        "--dump-dom", adminUrl("/admin/"))
        .redirectError(tmp.resolve("chromium.err").toFile()).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dom).as("the page ran its script (stderr: %s)", tmp.resolve("chromium.err"))
        .contains("data-loaded=\"true\"");
    assertThat(text(dom, "requests-total")).isEqualTo(String.format(java.util.Locale.US, "%,d",
        stats.at("/requests/total").asLong()));
    assertThat(text(dom, "request-hit-ratio")).isEqualTo(percent(stats.at("/ratios/requestHitRatio").asDouble()));
    assertThat(text(dom, "byte-hit-ratio")).isEqualTo(percent(stats.at("/ratios/byteHitRatio").asDouble()));
    assertThat(text(dom, "origin-offload")).isEqualTo(percent(stats.at("/ratios/originOffload").asDouble()));
    assertThat(text(dom, "tier-memory-objects")).isEqualTo(stats.at("/tiers/0/objects").asText());
    assertThat(text(dom, "origin-default-breaker")).isEqualTo("closed");
    assertThat(dom).contains("<polyline").doesNotContain("http://cdn").doesNotContain("https://");
  }

  private long requestsCounted() {
    try {
      return new ObjectMapper().readTree(fetch(adminUrl("/admin/stats"))).at("/requests/total").asLong();
    } catch (IOException e) {
      return -1;
    }
  }

  private static String percent(double v) {
    return String.format(java.util.Locale.US, "%.1f%%", 100 * v);
  }

  private static String text(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(dom);
    assertThat(m.find()).as("element #" + id).isTrue();
    return m.group(1);
  }
}
