package dev.cachalot.bench.hitrate;

import java.util.HashMap;
import java.util.TreeSet;

/**
 * Belady's clairvoyant policy: evict the object whose next request is furthest away, and do not admit one that
 * is needed later than everything held (or never again). Optimal for unit sizes; with sizes it is the usual
 * size-aware OPT heuristic, not a bound.
 */
final class BeladyPolicy implements Policy {
  private static final int NEVER = Integer.MAX_VALUE;

  private final long capacity;
  private final int[] next;
  private final HashMap<Long, long[]> held = new HashMap<>(); // key -> {nextUse, size}
  private final TreeSet<long[]> byNextUse = new TreeSet<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
      : Long.compare(a[2], b[2])); // {nextUse, size, key}
  private long used;

  BeladyPolicy(Trace trace, long capacity) {
    this.capacity = capacity;
    this.next = trace.nextUses();
  }

  @Override
  public boolean access(int index, long key, int size) {
    long[] entry = held.get(key);
    if (entry != null) {
      byNextUse.remove(new long[] {entry[0], entry[1], key});
      entry[0] = next[index];
      byNextUse.add(new long[] {entry[0], entry[1], key});
      return true;
    }
    if (next[index] == NEVER || size > capacity) {
      return false;
    }
    while (used + size > capacity) {
      long[] furthest = byNextUse.last();
      if (furthest[0] <= next[index]) {
        return false; // everything held is needed sooner: do not admit
      }
      byNextUse.pollLast();
      held.remove(furthest[2]);
      used -= furthest[1];
    }
    held.put(key, new long[] {next[index], size});
    byNextUse.add(new long[] {next[index], size, key});
    used += size;
    return false;
  }

  @Override
  public String name() {
    return "belady";
  }
}
