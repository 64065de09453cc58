package dev.cachalot.bench.hitrate;

import com.github.benmanes.caffeine.cache.Cache;

/**
 * A bound on admission filters: the memory tier's Caffeine storing only objects that will be requested again
 * ({@code oracle}), optionally only within HORIZON requests and up to MAXSIZE bytes. No filter in front of
 * Caffeine can know more, so none can do better than the best of these.
 */
final class OraclePolicy implements Policy {
  private final Cache<Long, Integer> cache;
  private final int[] next;
  private final String name;
  private final long horizon;
  private final long maxSize;

  OraclePolicy(Trace trace, long capacity, PolicySpec spec) {
    spec.atMost(2);
    this.name = spec.text();
    this.horizon = (long) spec.number(0, "a horizon in requests", Integer.MAX_VALUE);
    this.maxSize = (long) spec.number(1, "a largest size in bytes", Long.MAX_VALUE);
    this.next = trace.nextUses();
    this.cache = SimulatedCaffeine.bySize(capacity).build();
  }

  @Override
  public boolean access(int index, long key, int size) {
    if (cache.getIfPresent(key) != null) {
      return true;
    }
    if (next[index] != Integer.MAX_VALUE && next[index] - index <= horizon && size <= maxSize) {
      cache.put(key, size);
    }
    return false;
  }

  @Override
  public String name() {
    return name;
  }
}
