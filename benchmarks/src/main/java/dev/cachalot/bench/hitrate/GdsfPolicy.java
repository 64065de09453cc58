package dev.cachalot.bench.hitrate;

import java.util.HashMap;
import java.util.TreeSet;

/**
 * GreedyDual-Size-Frequency, a size-aware reference: evicts the lowest {@code L + frequency / size^(1 - B)},
 * where L rises to each victim's priority (aging). {@code gdsf:0} favours object hits, {@code gdsf:1} is
 * LFU with aging, and values between trade one for the other.
 */
final class GdsfPolicy implements Policy {
  private record Held(double priority, long key, int size, int hits) {}

  private final long capacity;
  private final double exponent;
  private final String name;
  private final HashMap<Long, Held> held = new HashMap<>();
  private final TreeSet<Held> byPriority = new TreeSet<>((a, b) -> a.priority != b.priority
      ? Double.compare(a.priority, b.priority) : Long.compare(a.key, b.key));
  private double clock;
  private long used;

  GdsfPolicy(long capacity, PolicySpec spec) {
    this.capacity = capacity;
    this.exponent = 1 - spec.atMost(1).number(0, "B, the weight of bytes (0 to 1)");
    this.name = spec.text();
  }

  @Override
  public boolean access(int index, long key, int size) {
    Held h = held.get(key);
    if (h != null) {
      byPriority.remove(h);
      hold(key, size, h.hits + 1);
      return true;
    }
    if (size > capacity) {
      return false;
    }
    while (used + size > capacity) {
      Held victim = byPriority.pollFirst();
      held.remove(victim.key);
      used -= victim.size;
      clock = victim.priority;
    }
    used += size;
    hold(key, size, 1);
    return false;
  }

  private void hold(long key, int size, int hits) {
    Held h = new Held(clock + hits / Math.pow(size, exponent), key, size, hits);
    held.put(key, h);
    byPriority.add(h);
  }

  @Override
  public String name() {
    return name;
  }
}
