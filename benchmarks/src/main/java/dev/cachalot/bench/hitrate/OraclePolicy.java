package dev.cachalot.bench.hitrate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.HashMap;
import java.util.LinkedHashMap;

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

  OraclePolicy(Trace trace, long capacity, String name) {
    this.name = name;
    String[] p = name.split(":");
    this.horizon = p.length > 1 ? Long.parseLong(p[1]) : Integer.MAX_VALUE;
    this.maxSize = p.length > 2 ? Long.parseLong(p[2]) : Long.MAX_VALUE;
    this.next = new int[trace.length()];
    HashMap<Long, Integer> seen = new HashMap<>();
    for (int i = trace.length() - 1; i >= 0; i--) {
      Integer later = seen.put(trace.keys()[i], i);
      next[i] = later == null ? Integer.MAX_VALUE : later;
    }
    this.cache = Caffeine.newBuilder().executor(Runnable::run).maximumWeight(capacity)
        .weigher((Long k, Integer v) -> v).build();
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
