package dev.cachalot.edge.tier;

import java.util.concurrent.atomic.LongAdder;

/** A tier's counters; {@link #snapshot} gives an immutable copy. Exporting them is the metrics adapter's job. */
public final class TierStats {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder stores = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder evictedBytes = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  final LongAdder hitBytes = new LongAdder();
  final LongAdder integrityFailures = new LongAdder();

  /**
   * @param objects entries held (primary keys)
   * @param bytes weighted size held
   * @param capacityBytes the bound
   */
  public record Snapshot(String tier, long objects, long bytes, long capacityBytes, long hits, long misses,
      long hitBytes, long stores, long evictions, long evictedBytes, long invalidations, long integrityFailures) {
    public long lookups() {
      return hits + misses;
    }
  }

  Snapshot snapshot(String tier, long objects, long bytes, long capacity) {
    return new Snapshot(tier, objects, bytes, capacity, hits.sum(), misses.sum(), hitBytes.sum(), stores.sum(),
        evictions.sum(), evictedBytes.sum(), invalidations.sum(), integrityFailures.sum());
  }
}
