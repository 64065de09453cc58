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
  /**
   * The entry stored under {@code key}, or null. A lookup that reads a tier below memory returns a {@link
   * LowerTierRead}, whose hit counts as served by that tier however soon it completes.
   */
  CompletableFuture<@Nullable CacheEntry> lookup(CacheKey key);

  /**
   * As {@link #lookup}, for a caller that serves the entry once and keeps nothing: the entry's bodies may be lent
   * ({@link CacheEntry#lent()}). The caller must then {@link CacheEntry#release} it when the response is sent, and
   * use {@link CacheEntry#onHeap} for anything it keeps longer.
   */
  default CompletableFuture<@Nullable CacheEntry> lookupToServe(CacheKey key) {
    return lookup(key);
  }

  /**
   * A second look by a request that missed and is about to fetch: a fill may have stored the key since its lookup.
   * Not counted as a hit, a miss or a use of the key (the request's lookup was); the entry's bodies are on the heap.
   */
  CompletableFuture<@Nullable CacheEntry> recheck(CacheKey key);

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

  /**
   * A lookup answered by reading a tier below memory on a pool of its own. It is a type, not a timing: a read can
   * complete before the caller first looks at it, and still is not a memory hit.
   */
  final class LowerTierRead extends CompletableFuture<@Nullable CacheEntry> {
    /** Runs {@code read} on {@code pool}; a pool that refuses the task (closed) fails the lookup. */
    static LowerTierRead on(java.util.concurrent.Executor pool,
        java.util.function.Supplier<@Nullable CacheEntry> read) {
      LowerTierRead f = new LowerTierRead();
      try {
        pool.execute(() -> {
          try {
            f.complete(read.get());
          } catch (Throwable t) {
            f.completeExceptionally(t);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        f.completeExceptionally(e);
      }
      return f;
    }
  }
}
