package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.AbstractExecutorService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the composition does: telling a mapped hit from a memory hit, however fast the mapped read was. */
class TieredCacheTest {
  @TempDir Path dir;

  /** Runs every read on the caller's thread: the read is complete before the caller first looks. */
  private static final class SameThread extends AbstractExecutorService {
    private boolean shutdown;

    @Override public void execute(Runnable r) { r.run(); }
    @Override public void shutdown() { shutdown = true; }
    @Override public List<Runnable> shutdownNow() { shutdown = true; return List.of(); }
    @Override public boolean isShutdown() { return shutdown; }
    @Override public boolean isTerminated() { return shutdown; }
    @Override public boolean awaitTermination(long t, TimeUnit u) { return true; }
  }

  private final SameThread reads = new SameThread();
  private final FrequencySketch sketch = new FrequencySketch(1000);

  /** The mapped tier in {@code dir}, reading on the caller's thread. */
  private ChronicleTier mapped() {
    return ChronicleTier.open(MappedTierConfig.of(dir, 64L << 20), sketch, reads, false);
  }

  /** Memory in front of {@code mapped}, with {@code key} stored in the mapped tier only. */
  private TieredCache tieredWith(ChronicleTier mapped, CacheKey key, String text) {
    mapped.write(key, CacheEntry.of(body(text)));
    return new TieredCache(new CaffeineTier(8L << 20), mapped, sketch, reads);
  }

  private static StoredResponse body(String text) {
    return new StoredResponse(200, HttpFields.of("X", "1"), text.getBytes(StandardCharsets.UTF_8),
        new Freshness(60_000, 0, 1, -1, -1, 0), Variance.NONE, 1);
  }

  @Test
  void aMappedHitIsALowerTierReadEvenWhenItCompletedAtOnce() {
    CacheKey key = new CacheKey("h", "http://h/only-below");
    try (TieredCache tiered = tieredWith(mapped(), key, "BELOW")) {
      CompletableFuture<CacheEntry> first = tiered.lookup(key);
      assertThat(first).isDone().isInstanceOf(CacheTier.LowerTierRead.class);
      assertThat(new String(first.join().variants().get(0).body(), StandardCharsets.UTF_8)).isEqualTo("BELOW");

      tiered.cleanUp();
      CompletableFuture<CacheEntry> promoted = tiered.lookup(key); // promoted on the mapped hit: now in memory
      assertThat(promoted).isDone().isNotInstanceOf(CacheTier.LowerTierRead.class);
      assertThat(tiered.lookup(new CacheKey("h", "http://h/nowhere"))).isInstanceOf(CacheTier.LowerTierRead.class);
    }
  }

  @Test
  void mappedHitsToServeAreLentAndOneInSixteenIsPromoted() {
    CacheKey key = new CacheKey("h", "http://h/lent");
    String text = "L".repeat(40_000);
    ChronicleTier mapped = mapped();
    try (TieredCache tiered = tieredWith(mapped, key, text)) {
      CacheEntry lent = tiered.lookupToServe(key).join();
      assertThat(lent.lent()).isTrue();
      StoredResponse r = lent.variants().get(0);
      assertThat(r.bodyBuffer().isDirect()).isTrue();
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(text);
      assertThatThrownBy(r::bodyArray).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> lent.with(body("x"))).isInstanceOf(IllegalStateException.class);
      StoredResponse kept = r.onHeap();
      lent.release();
      lent.release(); // once is enough; twice is harmless
      assertThatThrownBy(r::bodyBuffer).isInstanceOf(IllegalStateException.class);
      assertThat(new String(kept.body(), StandardCharsets.UTF_8)).isEqualTo(text);

      tiered.cleanUp();
      assertThat(tiered.lookup(key)).isInstanceOf(CacheTier.LowerTierRead.class); // lent, so not promoted
      tiered.cleanUp();
      assertThat(tiered.lookup(key)).isNotInstanceOf(CacheTier.LowerTierRead.class); // plain lookups promote

      CacheKey other = new CacheKey("h", "http://h/lent-2");
      mapped.write(other, CacheEntry.of(body(text)));
      for (int i = 0; i < TieredCache.PROMOTE_EVERY - 1; i++) {
        CacheEntry e = tiered.lookupToServe(other).join();
        assertThat(e.lent()).as("mapped hit %d", i + 1).isTrue();
        e.release();
      }
      assertThat(tiered.lookupToServe(other).join().lent()).as("the last of a round is promoted").isFalse();
      tiered.cleanUp();
      assertThat(tiered.lookupToServe(other)).isNotInstanceOf(CacheTier.LowerTierRead.class);
    }
  }

  @Test
  void aDamagedValueReadToLendIsDroppedNotServed() throws Exception {
    ChronicleTier mapped = mapped();
    CacheKey key = new CacheKey("h", "http://h/damaged");
    mapped.write(key, CacheEntry.of(body("GOOD".repeat(5000))));
    mapped.close();
    for (Path f : java.nio.file.Files.list(dir).filter(p -> p.toString().endsWith(".cmap")).toList()) {
      byte[] bytes = java.nio.file.Files.readAllBytes(f);
      String all = new String(bytes, StandardCharsets.ISO_8859_1);
      int at = all.indexOf("GOODGOOD");
      if (at >= 0) {
        bytes[at + 100] ^= 0x01;
        java.nio.file.Files.write(f, bytes);
      }
    }
    ChronicleTier reopened = mapped();
    try (TieredCache tiered = new TieredCache(new CaffeineTier(8L << 20), reopened, sketch, reads)) {
      assertThat(tiered.lookupToServe(key).join()).isNull();
      assertThat(reopened.stats().integrityFailures()).isEqualTo(1);
      assertThat(tiered.lookupToServe(key).join()).isNull(); // removed, so now a plain miss
    }
  }
}
