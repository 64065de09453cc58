package dev.cachalot.edge;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.RemovalReason;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.edge.tier.TierStats;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps an edge's tiers so that, once armed, the next lookup of one path misses whatever is stored: the request
 * then goes on as if a fill had stored the object just after its lookup. Rechecks see the truth.
 */
final class MissesOnce {
  private final AtomicReference<String> path = new AtomicReference<>();

  void arm(String urlPath) {
    path.set(urlPath);
  }

  boolean armed() {
    return path.get() != null;
  }

  CacheTier wrap(CacheTier tiers) {
    return new CacheTier() {
      private CompletableFuture<CacheEntry> missed(CacheKey key) {
        String p = path.get();
        return p != null && key.url().endsWith(p) && path.compareAndSet(p, null)
            ? CompletableFuture.completedFuture(null) : null;
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
        return tiers.recheck(key);
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
