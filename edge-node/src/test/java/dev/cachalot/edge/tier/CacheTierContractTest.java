package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tier contract, run against every tier: memory, mapped (Chronicle Map files in a temp dir) and tiered.
 * Invariants are checked after every test: bytes within capacity, and hits plus misses equal lookups.
 */
class CacheTierContractTest {
  @TempDir static Path root;
  private static int dirs;
  private CacheTier tier;
  private long lookups;

  static MappedTierConfig mappedConfig() {
    try {
      return new MappedTierConfig(Files.createDirectories(root.resolve("tier-" + (++dirs))), 16L << 20, 1024);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Stream<Arguments> tiers() {
    Function<Void, CacheTier> memory = v -> CacheTiers.memory(8L << 20);
    Function<Void, CacheTier> mapped = v -> CacheTiers.mapped(mappedConfig());
    Function<Void, CacheTier> tiered = v -> CacheTiers.tiered(new CacheConfig(4L << 20, 1L << 20, Duration.ofDays(1),
        Duration.ZERO, Duration.ofMinutes(2), Duration.ofSeconds(30), Set.of()), mappedConfig());
    return Stream.of(Arguments.of("memory", memory), Arguments.of("mapped", mapped), Arguments.of("tiered", tiered));
  }

  private CacheTier open(Function<Void, CacheTier> factory) {
    tier = factory.apply(null);
    return tier;
  }

  private CacheEntry lookup(CacheKey key) {
    lookups++;
    return tier.lookup(key).join();
  }

  @AfterEach
  void invariants() {
    if (tier == null) {
      return;
    }
    // Caffeine evicts on its own executor: settle it, so bytes are read after the evictions a store has owed
    if (tier instanceof CaffeineTier c) {
      c.cleanUp();
    } else if (tier instanceof TieredCache t) {
      t.cleanUp();
    }
    TierStats.Snapshot s = tier.stats();
    assertThat(s.bytes()).as("bytes within capacity").isLessThanOrEqualTo(s.capacityBytes());
    assertThat(s.hits() + s.misses()).as("hits + misses = lookups").isEqualTo(lookups);
    for (TierStats.Snapshot each : tier.tierStats()) {
      assertThat(each.bytes()).as(each.tier() + " bytes within capacity").isLessThanOrEqualTo(each.capacityBytes());
    }
    tier.close();
  }

  private static final CacheKey K = new CacheKey("h", "http://h/k");

  static StoredResponse response(String body, Variance v) {
    return new StoredResponse(200, HttpFields.of("ETag", "\"" + body + "\"", "Surrogate-Key", "a b"),
        body.getBytes(), new Freshness(60_000, 1000, 12345, -1, 5000, Freshness.HEURISTIC), v, 777);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void storeLookupInvalidate(String name, Function<Void, CacheTier> factory) {
    open(factory);
    assertThat(lookup(K)).isNull();
    tier.store(K, response("a", Variance.NONE));
    StoredResponse got = lookup(K).variants().get(0);
    assertThat(new String(got.body())).isEqualTo("a");
    assertThat(got.freshness()).isEqualTo(new Freshness(60_000, 1000, 12345, -1, 5000, Freshness.HEURISTIC));
    assertThat(got.headers().get("ETag")).isEqualTo("\"a\"");
    assertThat(got.surrogateKeys()).containsExactly("a", "b");
    assertThat(got.storedAtMillis()).isEqualTo(777);
    tier.store(K, response("b", Variance.NONE));
    assertThat(lookup(K).variants()).hasSize(1);
    tier.invalidate(K, RemovalReason.INVALIDATED);
    assertThat(lookup(K)).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void aRecheckFindsWhatIsStoredAndCountsNothing(String name, Function<Void, CacheTier> factory) {
    open(factory);
    assertThat(lookup(K)).isNull();
    java.util.List<TierStats.Snapshot> before = tier.tierStats();
    assertThat(tier.recheck(K).join()).as("nothing stored yet").isNull();
    tier.store(K, response("a", Variance.NONE));
    CacheEntry again = tier.recheck(K).join();
    assertThat(again).isNotNull();
    assertThat(again.lent()).as("on the heap").isFalse();
    assertThat(new String(again.variants().get(0).body())).isEqualTo("a");
    for (int i = 0; i < before.size(); i++) {
      TierStats.Snapshot was = before.get(i);
      TierStats.Snapshot now = tier.tierStats().get(i);
      assertThat(now.hits()).as(now.tier() + " hits").isEqualTo(was.hits());
      assertThat(now.misses()).as(now.tier() + " misses").isEqualTo(was.misses());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void variantsLiveUnderOnePrimaryKey(String name, Function<Void, CacheTier> factory) {
    open(factory);
    String[] names = {"accept-encoding"};
    tier.store(K, response("gz", Variance.of(names, Map.of("accept-encoding", "gzip")::get)));
    tier.store(K, response("id", Variance.of(names, Map.of("accept-encoding", "identity")::get)));
    CacheEntry e = lookup(K);
    assertThat(e.variants()).hasSize(2);
    assertThat(new String(e.select(Map.of("accept-encoding", "gzip")::get).body())).isEqualTo("gz");
    assertThat(e.select(Map.of("accept-encoding", "br")::get)).isNull();
    tier.invalidate(K, RemovalReason.INVALIDATED);
    assertThat(lookup(K)).as("all variants go together").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void staysWithinItsCapacityAndEvicts(String name, Function<Void, CacheTier> factory) {
    open(factory);
    byte[] body = new byte[64 * 1024];
    for (int i = 0; i < 600; i++) {
      tier.store(new CacheKey("h", "http://h/" + i), new StoredResponse(200, HttpFields.EMPTY, body,
          new Freshness(60_000, 0, 0, -1, -1, 0), Variance.NONE, 0));
      lookup(new CacheKey("h", "http://h/" + (i / 2)));
    }
    if (tier instanceof CaffeineTier c) {
      c.cleanUp();
    }
    assertThat(tier.stats().evictions()).isPositive();
  }
}
