package dev.cachalot.bench.hitrate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.LinkedHashMap;

/**
 * Prototype: one Caffeine per size class (1 KiB, then x4), with capacity moved every EVERY requests from the class
 * with the fewest ghost hits (weighted size^B) to the one with the most, as slab rebalancers do.
 * Spec {@code classes:B[:EVERY[:GHOST[:STEP[:CLASSES]]]]}.
 */
final class ClassesPolicy implements Policy {
  private final int n;
  private final Cache<Long, Integer>[] caches;
  private final LinkedHashMap<Long, Integer>[] ghosts;
  private final long[] ghostBytes;
  private final long[] share;
  private final double[] gain;
  private final long capacity;
  private final double b;
  private final int every;
  private final double ghostShare;
  private final double step;
  private final String name;
  private int ticks;

  @SuppressWarnings("unchecked")
  ClassesPolicy(long capacity, PolicySpec spec) {
    spec.atMost(5);
    this.b = spec.number(0, "B, the weight of bytes (0 to 1)");
    this.every = Math.max(1, (int) spec.number(1, "requests between rebalancings", 1000));
    this.ghostShare = spec.number(2, "the ghost list's share of capacity", 0.05);
    this.step = spec.number(3, "the share of capacity moved at a time", 0.01);
    this.n = Math.max(1, (int) spec.number(4, "a number of size classes", 6));
    this.capacity = capacity;
    this.name = spec.text();
    caches = new Cache[n];
    ghosts = new LinkedHashMap[n];
    ghostBytes = new long[n];
    share = new long[n];
    gain = new double[n];
    for (int i = 0; i < n; i++) {
      int c = i;
      share[i] = capacity / n;
      ghosts[i] = new LinkedHashMap<>();
      caches[i] = SimulatedCaffeine.bySize(share[i])
          .evictionListener((Long k, Integer v, RemovalCause cause) -> ghost(c, k, v))
          .build();
    }
  }

  private void ghost(int c, Long k, Integer v) {
    ghosts[c].put(k, v);
    ghostBytes[c] += v;
    long limit = (long) (ghostShare * capacity);
    var it = ghosts[c].entrySet().iterator();
    while (ghostBytes[c] > limit && it.hasNext()) {
      ghostBytes[c] -= it.next().getValue();
      it.remove();
    }
  }

  private int classOf(int size) {
    int c = 0;
    for (long bound = 1024; size > bound && c < n - 1; bound *= 4) {
      c++;
    }
    return c;
  }

  @Override
  public boolean access(int index, long key, int size) {
    if (++ticks % every == 0) {
      rebalance();
    }
    int c = classOf(size);
    if (caches[c].getIfPresent(key) != null) {
      return true;
    }
    Integer g = ghosts[c].remove(key);
    if (g != null) {
      ghostBytes[c] -= g;
      gain[c] += Math.pow(size, b);
    }
    if (size <= share[c]) {
      caches[c].put(key, size);
    }
    return false;
  }

  private void rebalance() {
    int hi = 0;
    int lo = -1;
    long move = (long) (step * capacity);
    for (int i = 0; i < n; i++) {
      if (gain[i] > gain[hi]) {
        hi = i;
      }
    }
    for (int i = 0; i < n; i++) {
      if (i != hi && share[i] >= move && (lo < 0 || gain[i] < gain[lo])) {
        lo = i;
      }
    }
    if (lo >= 0 && gain[hi] > gain[lo]) {
      share[lo] -= move;
      share[hi] += move;
      caches[lo].policy().eviction().orElseThrow().setMaximum(share[lo]);
      caches[hi].policy().eviction().orElseThrow().setMaximum(share[hi]);
    }
    for (int i = 0; i < n; i++) {
      gain[i] /= 2;
    }
  }

  @Override
  public String name() {
    return name;
  }
}
