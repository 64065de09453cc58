package dev.cachalot.purge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachalot.purge.api.PurgeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's side of contract/purge-v1: what it accepts and what it sends match the golden files. */
class WireContractTest extends PurgeServiceTestBase {
  static final Path CONTRACT = Path.of("..", "contract", "purge-v1");
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static JsonNode golden(String name) throws Exception {
    return JSON.readTree(Files.readString(CONTRACT.resolve(name)));
  }

  static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void theGoldenRequestIsAcceptedAndTheLogPageIsByteForByteTheGoldenOne() throws Exception {
    PurgeRequest r = PurgeRequest.parse(Files.readAllBytes(CONTRACT.resolve("purge-request.json")));
    assertThat(r.soft()).isTrue();
    assertThat(r.tags()).containsExactly("album-7");
    AtomicLong clock = new AtomicLong(1_795_327_200_000L);
    var config = config(dir);
    var tokens = List.of(new dev.cachalot.config.PurgeTokenConfig("photos-team", PHOTOS, List.of("*"),
        dev.cachalot.config.PurgeTokenConfig.RIGHTS, 100, 100), new dev.cachalot.config.PurgeTokenConfig("ops",
        ADMIN, List.of("*"), dev.cachalot.config.PurgeTokenConfig.RIGHTS, 100, 100));
    try (PurgeService s = PurgeService.start(new dev.cachalot.config.PurgeServiceConfig(config.listen(), dir, tokens,
        null), () -> clock.getAndAdd(1000))) {
      String base = "http://127.0.0.1:" + s.address().getPort();
      Answer accepted = call("POST", base + "/v1/purge", PHOTOS, Files.readString(CONTRACT.resolve("purge-request.json")));
      assertThat(accepted.code()).isEqualTo(202);
      assertThat(fields(JSON.readTree(accepted.body()))).isEqualTo(fields(golden("purge-accepted.json")));
      assertThat(JSON.readTree(accepted.body()).path("acceptedAt").asText()).isEqualTo("2026-11-22T06:00:00Z");
      call("POST", base + "/v1/purge", ADMIN, "{\"all\": true, \"hosts\": [\"img.example.com\"]}");
      JsonNode page = JSON.readTree(call("GET", base + "/v1/log?after=0&edge=edge-a", null, null).body());
      assertThat(page).isEqualTo(golden("log-page.json"));

      Answer report = call("POST", base + "/v1/edges/edge-a/applied", null,
          Files.readString(CONTRACT.resolve("applied-report.json")));
      assertThat(report.code()).isEqualTo(204);
      JsonNode status = JSON.readTree(call("GET", base + "/v1/purge/p-1", PHOTOS, null).body());
      JsonNode goldenStatus = golden("purge-status.json");
      assertThat(fields(status)).isEqualTo(fields(goldenStatus));
      assertThat(fields(status.path("edges").get(0))).isEqualTo(fields(goldenStatus.path("edges").get(0)));
      assertThat(status.path("edges").get(0).path("applied").asBoolean()).isTrue();
    }
  }
}
