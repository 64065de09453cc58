package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;

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

  private static StoredResponse body(String text) {
    return new StoredResponse(200, HttpFields.of("X", "1"), text.getBytes(StandardCharsets.UTF_8),
        new Freshness(60_000, 0, 1, -1, -1, 0), Variance.NONE, 1);
  }

  @Test
  void aMappedHitIsALowerTierReadEvenWhenItCompletedAtOnce() {
    SameThread reads = new SameThread();
    FrequencySketch sketch = new FrequencySketch(1000);
    ChronicleTier mapped = ChronicleTier.open(MappedTierConfig.of(dir, 64L << 20), sketch, reads, false);
    CacheKey key = new CacheKey("h", "http://h/only-below");
    mapped.write(key, CacheEntry.of(body("BELOW")));
    try (TieredCache tiered = new TieredCache(new CaffeineTier(8L << 20), mapped, sketch, reads)) {
      CompletableFuture<CacheEntry> first = tiered.lookup(key);
      assertThat(first).isDone().isInstanceOf(CacheTier.LowerTierRead.class);
      assertThat(new String(first.join().variants().get(0).body(), StandardCharsets.UTF_8)).isEqualTo("BELOW");

      tiered.cleanUp();
      CompletableFuture<CacheEntry> promoted = tiered.lookup(key); // promoted on the mapped hit: now in memory
      assertThat(promoted).isDone().isNotInstanceOf(CacheTier.LowerTierRead.class);
      assertThat(tiered.lookup(new CacheKey("h", "http://h/nowhere"))).isInstanceOf(CacheTier.LowerTierRead.class);
    }
  }
}
