package dev.cachalot.edge.tier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.cachalot.edge.key.CacheKey;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The memory tier: Caffeine bounded by bytes, with W-TinyLFU admission, so one-hit wonders do not flush the
 * popular objects. Lookups never block, and are answered with completed futures.
 */
final class CaffeineTier implements CacheTier {
  private static final CompletableFuture<@Nullable CacheEntry> MISS =
      CompletableFuture.<@Nullable CacheEntry>completedFuture(null);

  private final Cache<CacheKey, CacheEntry> cache;
  private final long capacity;
  private final TierStats stats = new TierStats();

  CaffeineTier(long capacityBytes) {
    this(capacityBytes, false);
  }

  /**
   * @param forSimulation weigh body bytes only and run maintenance on the calling thread, so the hit-ratio
   *     simulator's capacities mean the trace's sizes and its runs repeat exactly; the policy is the same
   */
  CaffeineTier(long capacityBytes, boolean forSimulation) {
    this.capacity = capacityBytes;
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    if (forSimulation) {
      builder.executor(Runnable::run);
    }
    this.cache = builder
        .maximumWeight(capacityBytes)
        .weigher((CacheKey k, CacheEntry e) -> (int) Math.min(Integer.MAX_VALUE,
            forSimulation ? bodyBytes(e) : e.weight() + 2L * k.url().length()))
        .evictionListener((@Nullable CacheKey k, @Nullable CacheEntry e, RemovalCause cause) -> {
          if (cause.wasEvicted() && e != null) {
            stats.evictions.increment();
            stats.evictedBytes.add(e.weight());
          }
        })
        .build();
  }

  @Override
  public CompletableFuture<@Nullable CacheEntry> lookup(CacheKey key) {
    CacheEntry e = cache.getIfPresent(key);
    if (e == null) {
      stats.misses.increment();
      return MISS;
    }
    stats.hits.increment();
    stats.hitBytes.add(e.weight());
    return e.asCompletedLookup();
  }

  @Override
  public void store(CacheKey key, StoredResponse response) {
    cache.asMap().compute(key, (k, old) -> old == null ? CacheEntry.of(response) : old.with(response));
    stats.stores.increment();
  }

  @Override
  public void invalidate(CacheKey key, RemovalReason why) {
    if (cache.asMap().remove(key) != null) {
      stats.invalidations.increment();
    }
  }

  @Override
  public TierStats.Snapshot stats() {
    long bytes = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    return stats.snapshot("memory", cache.estimatedSize(), bytes, capacity);
  }

  private static long bodyBytes(CacheEntry e) {
    long sum = 0;
    for (StoredResponse r : e.variants()) {
      sum += r.bodyLength();
    }
    return sum;
  }

  @Override
  public CompletableFuture<@Nullable CacheEntry> recheck(CacheKey key) {
    CacheEntry e = cache.policy().getIfPresentQuietly(key);
    return e == null ? MISS : e.asCompletedLookup();
  }

  /** The entry, not counted in this tier's stats; Caffeine's policy still sees a read (unlike {@link #recheck}). */
  @Nullable CacheEntry peek(CacheKey key) {
    return cache.getIfPresent(key);
  }

  /** Puts a whole entry (a promotion from a lower tier); the memory tier's admission policy still decides. */
  void put(CacheKey key, CacheEntry entry) {
    if (entry.lent()) {
      throw new IllegalStateException("a lent entry cannot be kept in memory; copy it with onHeap() first");
    }
    cache.put(key, entry);
  }

  /** For tests: run pending evictions now. */
  void cleanUp() {
    cache.cleanUp();
  }
}
