package dev.cachalot.edge;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.RemovalReason;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.edge.tier.TierStats;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps an edge's tiers so that, once armed, the next lookups of one path miss whatever is stored: each request then
 * goes on as if a fill had stored the object just after its lookup. Rechecks see the truth, at once or (held) when
 * the test releases them.
 */
final class MissesOnce {
  private final AtomicReference<String> path = new AtomicReference<>();
  private final AtomicInteger misses = new AtomicInteger();
  private volatile boolean holding;
  private final List<Runnable> held = new CopyOnWriteArrayList<>();

  void arm(String urlPath) {
    arm(urlPath, 1);
  }

  /** The next {@code times} lookups of {@code urlPath} miss. */
  void arm(String urlPath, int times) {
    misses.set(times);
    path.set(urlPath);
  }

  boolean armed() {
    return path.get() != null;
  }

  /** Rechecks from now on wait until {@link #releaseRechecks}, as a slow read of the mapped tier would. */
  void holdRechecks() {
    holding = true;
  }

  void releaseRechecks() {
    holding = false;
    held.forEach(Runnable::run);
  }

  CacheTier wrap(CacheTier tiers) {
    return new CacheTier() {
      private CompletableFuture<CacheEntry> missed(CacheKey key) {
        String p = path.get();
        if (p == null || !key.url().endsWith(p)) {
          return null;
        }
        int left = misses.decrementAndGet();
        if (left <= 0) {
          path.compareAndSet(p, null);
        }
        return left >= 0 ? CompletableFuture.completedFuture(null) : null;
      }

      @Override
      public CompletableFuture<CacheEntry> lookup(CacheKey key) {
        CompletableFuture<CacheEntry> m = missed(key);
        return m != null ? m : tiers.lookup(key);
      }

      @Override
      public CompletableFuture<CacheEntry> lookupToServe(CacheKey key) {
        CompletableFuture<CacheEntry> m = missed(key);
        return m != null ? m : tiers.lookupToServe(key);
      }

      @Override
      public CompletableFuture<CacheEntry> recheck(CacheKey key) {
        if (!holding) {
          return tiers.recheck(key);
        }
        CompletableFuture<CacheEntry> later = new CompletableFuture<>();
        held.add(() -> later.complete(tiers.recheck(key).join()));
        return later;
      }

      @Override
      public void store(CacheKey key, StoredResponse response) {
        tiers.store(key, response);
      }

      @Override
      public void invalidate(CacheKey key, RemovalReason why) {
        tiers.invalidate(key, why);
      }

      @Override
      public TierStats.Snapshot stats() {
        return tiers.stats();
      }

      @Override
      public List<TierStats.Snapshot> tierStats() {
        return tiers.tierStats();
      }

      @Override
      public void close() {
        tiers.close();
      }
    };
  }
}
