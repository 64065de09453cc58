package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tier contract, run against every tier implementation. */
class CacheTierContractTest {
  static Stream<Arguments> tiers() {
    return Stream.of(Arguments.of("memory", (Supplier<CacheTier>) () -> CacheTiers.memory(8L << 20)));
  }

  private static final CacheKey K = new CacheKey("h", "http://h/k");

  private static StoredResponse response(String body, Variance v) {
    return new StoredResponse(200, HttpFields.of("ETag", "\"" + body + "\""), body.getBytes(),
        new Freshness(60_000, 0, 0, -1, -1, 0), v, 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void storeLookupInvalidate(String name, Supplier<CacheTier> factory) {
    try (CacheTier tier = factory.get()) {
      assertThat(tier.lookup(K).join()).isNull();
      tier.store(K, response("a", Variance.NONE));
      assertThat(new String(tier.lookup(K).join().variants().get(0).body())).isEqualTo("a");
      tier.store(K, response("b", Variance.NONE));
      assertThat(tier.lookup(K).join().variants()).hasSize(1);
      tier.invalidate(K, RemovalReason.INVALIDATED);
      assertThat(tier.lookup(K).join()).isNull();
      TierStats.Snapshot s = tier.stats();
      assertThat(s.hits() + s.misses()).isEqualTo(s.lookups()).isEqualTo(4);
      assertThat(s.invalidations()).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void variantsLiveUnderOnePrimaryKey(String name, Supplier<CacheTier> factory) {
    try (CacheTier tier = factory.get()) {
      String[] names = {"accept-encoding"};
      tier.store(K, response("gz", Variance.of(names, Map.of("accept-encoding", "gzip")::get)));
      tier.store(K, response("id", Variance.of(names, Map.of("accept-encoding", "identity")::get)));
      CacheEntry e = tier.lookup(K).join();
      assertThat(e.variants()).hasSize(2);
      assertThat(new String(e.select(Map.of("accept-encoding", "gzip")::get).body())).isEqualTo("gz");
      assertThat(e.select(Map.of("accept-encoding", "br")::get)).isNull();
      tier.invalidate(K, RemovalReason.INVALIDATED);
      assertThat(tier.lookup(K).join()).as("all variants go together").isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void staysWithinItsCapacity(String name, Supplier<CacheTier> factory) {
    try (CacheTier tier = factory.get()) {
      byte[] body = new byte[64 * 1024];
      for (int i = 0; i < 500; i++) {
        tier.store(new CacheKey("h", "http://h/" + i), new StoredResponse(200, HttpFields.EMPTY, body,
            new Freshness(60_000, 0, 0, -1, -1, 0), Variance.NONE, 0));
        tier.lookup(new CacheKey("h", "http://h/" + (i / 2))).join();
      }
      if (tier instanceof CaffeineTier c) {
        c.cleanUp();
      }
      TierStats.Snapshot s = tier.stats();
      assertThat(s.bytes()).isLessThanOrEqualTo(s.capacityBytes());
      assertThat(s.evictions()).isPositive();
    }
  }
}
