package dev.cachalot.edge.tier;

import dev.cachalot.edge.key.CacheKey;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A place to keep responses. Capacity and eviction are fixed when the tier is built; callers only look up, store
 * and invalidate.
 *
 * <p>{@link #lookup} returns an already-completed future when the answer is in memory, so a caller on an I/O
 * thread can serve it at once and only wait (off that thread) for tiers that touch disk.
 */
public interface CacheTier extends AutoCloseable {
  CompletableFuture<@Nullable CacheEntry> lookup(CacheKey key);

  /** Adds {@code response} under {@code key}, replacing any variant with the same variance. Atomic per key. */
  void store(CacheKey key, StoredResponse response);

  /** Removes every variant stored under {@code key}. */
  void invalidate(CacheKey key, RemovalReason why);

  TierStats.Snapshot stats();

  /** One snapshot per underlying tier (a composition reports each of its tiers). */
  default java.util.List<TierStats.Snapshot> tierStats() {
    return java.util.List.of(stats());
  }

  @Override
  default void close() {}
}
