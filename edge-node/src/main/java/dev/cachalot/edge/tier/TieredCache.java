package dev.cachalot.edge.tier;

import dev.cachalot.edge.key.CacheKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Memory in front of the mapped tier, as one {@link CacheTier}.
 *
 * <ul>
 *   <li>Lookups try memory first (an already-completed future, so hits stay on the I/O thread); a memory miss
 *       reads the mapped tier on a pool of its own, and a mapped hit is promoted through the memory tier's
 *       W-TinyLFU admission.
 *   <li>Stores write through to both, on the caller's thread (an origin thread, never an I/O thread): an object
 *       that leaves memory is still in the mapped tier, and nothing is lost if the process dies.
 *   <li>Invalidation removes from both. Per-key lock stripes order it against stores and promotions, so a
 *       purged object can never come back from the lower tier.
 * </ul>
 */
final class TieredCache implements CacheTier {
  private static final int STRIPES = 64;
  /** Every this many mapped hits of a key, one is offered to the memory tier (see {@link #lookupToServe}). */
  static final int PROMOTE_EVERY = 16;

  private final CaffeineTier memory;
  private final ChronicleTier mapped;
  private final FrequencySketch sketch;
  private final ExecutorService reads;
  private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final FrequencySketch promotions;
  private final BodyPool lending = new BodyPool();

  TieredCache(CaffeineTier memory, ChronicleTier mapped, FrequencySketch sketch, ExecutorService reads) {
    this.memory = memory;
    this.mapped = mapped;
    this.sketch = sketch;
    this.reads = reads;
    // 256 KiB of counters, updated without locks: a collision promotes early, a lost count promotes late
    this.promotions = new FrequencySketch(1 << 18, PROMOTE_EVERY - 1);
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantReadWriteLock();
    }
  }

  /** For tests: run the memory tier's pending evictions now. */
  void cleanUp() {
    memory.cleanUp();
  }

  private ReentrantReadWriteLock stripe(CacheKey key) {
    return stripes[(key.url().hashCode() & 0x7fffffff) % STRIPES];
  }

  @Override
  public CompletableFuture<@Nullable CacheEntry> lookup(CacheKey key) {
    return lookup(key, false);
  }

  /**
   * One mapped hit of a key in {@value #PROMOTE_EVERY} is offered to memory; the others are read into a lent buffer
   * and served from it. A promotion costs a heap copy (zeroed, then collected, and evicting a memory entry), and
   * most are turned away by W-TinyLFU or evicted again soon. Under a Zipf load with memory at a tenth of the bytes,
   * one in 16 rather than one in 4 served 5 to 10% more requests, with memory's share of hits unchanged (70%):
   * a key hot enough to matter reaches its turn within milliseconds (docs/benchmarks.md, session 8).
   */
  @Override
  public CompletableFuture<@Nullable CacheEntry> lookupToServe(CacheKey key) {
    return lookup(key, true);
  }

  private CompletableFuture<@Nullable CacheEntry> lookup(CacheKey key, boolean mayLend) {
    int hash = key.url().hashCode();
    sketch.increment(hash);
    CompletableFuture<@Nullable CacheEntry> fromMemory = memory.lookup(key);
    if (fromMemory.getNow(null) != null) {
      hits.increment();
      return fromMemory;
    }
    return CacheTier.LowerTierRead.on(reads, () -> {
      ReentrantReadWriteLock.ReadLock lock = stripe(key).readLock();
      lock.lock();
      try {
        boolean promote = !mayLend || promotions.countToFull(hash);
        CacheEntry e = promote ? mapped.read(key) : mapped.readLent(key, lending);
        if (e == null) {
          misses.increment();
          return null;
        }
        hits.increment();
        if (!e.lent()) {
          memory.put(key, e);
        }
        return e;
      } finally {
        lock.unlock();
      }
    });
  }

  @Override
  public CompletableFuture<@Nullable CacheEntry> recheck(CacheKey key) {
    CompletableFuture<@Nullable CacheEntry> fromMemory = memory.recheck(key);
    if (fromMemory.getNow(null) != null) {
      return fromMemory;
    }
    return CacheTier.LowerTierRead.on(reads, () -> {
      ReentrantReadWriteLock.ReadLock lock = stripe(key).readLock();
      lock.lock();
      try {
        return mapped.readQuietly(key);
      } finally {
        lock.unlock();
      }
    });
  }

  @Override
  public void store(CacheKey key, StoredResponse response) {
    ReentrantReadWriteLock.WriteLock lock = stripe(key).writeLock();
    lock.lock();
    try {
      memory.store(key, response);
      CacheEntry merged = memory.peek(key);
      if (merged == null || !merged.variants().contains(response)) {
        CacheEntry below = mapped.readQuietly(key); // a store is not a lookup
        merged = below == null ? CacheEntry.of(response) : below.with(response);
      }
      mapped.write(key, merged);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void invalidate(CacheKey key, RemovalReason why) {
    ReentrantReadWriteLock.WriteLock lock = stripe(key).writeLock();
    lock.lock();
    try {
      memory.invalidate(key, why);
      mapped.invalidate(key, why);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public TierStats.Snapshot stats() {
    TierStats.Snapshot m = memory.stats();
    TierStats.Snapshot d = mapped.stats();
    return new TierStats.Snapshot("tiered", d.objects(), d.bytes(), d.capacityBytes(), hits.sum(), misses.sum(),
        m.hitBytes() + d.hitBytes(), d.stores(), d.evictions(), d.evictedBytes(), d.invalidations(),
        d.integrityFailures());
  }

  @Override
  public List<TierStats.Snapshot> tierStats() {
    return List.of(memory.stats(), mapped.stats());
  }

  @Override
  public void close() {
    reads.shutdown();
    mapped.close();
  }
}
