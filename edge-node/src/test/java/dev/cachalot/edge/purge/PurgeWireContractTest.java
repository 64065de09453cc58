package dev.cachalot.edge.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edge's side of contract/purge-v1: it reads the golden log page and applies what it says. */
class PurgeWireContractTest {
  static final Path CONTRACT = Path.of("..", "contract", "purge-v1");

  static List<PurgeRecord> goldenRecords() throws Exception {
    JsonNode page = new ObjectMapper().readTree(Files.readString(CONTRACT.resolve("log-page.json")));
    assertThat(page.path("head").asLong()).isEqualTo(2);
    List<PurgeRecord> out = new ArrayList<>();
    page.path("records").forEach(n -> out.add(PurgeRecord.of(n)));
    return out;
  }

  static StoredResponse stored(long at, String... headers) {
    return new StoredResponse(200, HttpFields.of(headers), new byte[] {1}, new Freshness(600_000, 0, at, 0, 0, 0),
        Variance.NONE, at);
  }

  static CacheKey key(String path) {
    return CacheKeyFactory.of("http", "img.example.com", path);
  }

  @Test
  void aKnownFieldOfTheWrongShapeIsRefusedNotReadAsAnEmptyPurge() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (String bad : new String[] {"{\"seq\":5,\"urls\":\"http://h/a\"}", "{\"seq\":5,\"tags\":[1]}",
        "{\"seq\":5,\"prefixes\":[\"\"]}", "{\"seq\":5,\"all\":\"yes\"}", "{\"seq\":5,\"hosts\":{}}"}) {
      assertThatThrownBy(() -> PurgeRecord.of(json.readTree(bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("purge 5: '");
    }
    PurgeRecord ok = PurgeRecord.of(json.readTree("{\"seq\":6,\"urls\":null,\"tags\":[\"t\"],\"future\":{}}"));
    assertThat(ok.tags()).containsExactly("t");
    assertThat(ok.urls()).isEmpty();
  }

  @Test
  void theGoldenRecordsReadAsTheContractSays() throws Exception {
    List<PurgeRecord> r = goldenRecords();
    assertThat(r.get(0)).isEqualTo(new PurgeRecord(1, "p-1", true,
        List.of("https://img.example.com/photos/whale-01.jpg"), List.of("https://img.example.com/photos/2026/"),
        List.of("album-7"), List.of("img.example.com"), false));
    assertThat(r.get(1).all()).isTrue();
    assertThat(r.get(1).soft()).isFalse();
  }

  @Test
  void appliedInOrderTheyPurgeWhatTheySay() throws Exception {
    List<PurgeRecord> r = goldenRecords();
    PurgeRules rules = new PurgeRules();
    rules.applyRules(r.get(0), 1000);
    assertThat(rules.verdict(key("/photos/whale-01.jpg"), stored(999))).isEqualTo(PurgeRules.Verdict.REVALIDATE);
    assertThat(rules.verdict(key("/photos/whale-01.jpg"), stored(1000))).as("stored after").isEqualTo(
        PurgeRules.Verdict.NONE);
    assertThat(rules.verdict(key("/photos/2026/x.jpg"), stored(10))).isEqualTo(PurgeRules.Verdict.REVALIDATE);
    assertThat(rules.verdict(key("/photos/2025/x.jpg"), stored(10))).isEqualTo(PurgeRules.Verdict.NONE);
    assertThat(rules.verdict(key("/x.jpg"), stored(10, "Surrogate-Key", "album-7 other")))
        .isEqualTo(PurgeRules.Verdict.REVALIDATE);
    rules.applyRules(r.get(1), 2000);
    assertThat(rules.verdict(key("/anything"), stored(1500))).isEqualTo(PurgeRules.Verdict.MISS);
    assertThat(rules.verdict(CacheKeyFactory.of("http", "other.example.com", "/anything"), stored(1500)))
        .isEqualTo(PurgeRules.Verdict.NONE);
  }
}
