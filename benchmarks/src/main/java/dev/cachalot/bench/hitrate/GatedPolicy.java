package dev.cachalot.bench.hitrate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy.CacheEntry;
import java.util.HashMap;
import java.util.Iterator;

/**
 * Prototype: Caffeine behind a victim test. A new object is stored only if its frequency x size^B beats the sum
 * over Caffeine's coldest entries it would displace. Spec {@code gated:B[:VICTIMS[:RESET]]}.
 */
final class GatedPolicy implements Policy {
  private final Cache<Long, Integer> cache;
  private final long capacity;
  private final double b;
  private final int maxVictims;
  private final HashMap<Long, Integer> freq = new HashMap<>();
  private int sample;
  private final int resetAt;
  private final String name;

  GatedPolicy(long capacity, PolicySpec spec) {
    spec.atMost(3);
    this.b = spec.number(0, "B, the weight of bytes (0 to 1)");
    this.maxVictims = (int) spec.number(1, "the most victims to weigh", 64);
    this.resetAt = (int) spec.number(2, "requests between halvings of the counts", 20_000);
    this.capacity = capacity;
    this.name = spec.text();
    this.cache = SimulatedCaffeine.bySize(capacity).build();
  }

  private int f(long key) {
    return freq.getOrDefault(key, 0);
  }

  private void count(long key) {
    freq.merge(key, 1, Integer::sum);
    if (++sample >= resetAt) {
      sample = 0;
      freq.replaceAll((k, v) -> v / 2);
      freq.values().removeIf(v -> v == 0);
    }
  }

  @Override
  public boolean access(int index, long key, int size) {
    count(key);
    if (cache.getIfPresent(key) != null) {
      return true;
    }
    if (size > capacity) {
      return false;
    }
    var ev = cache.policy().eviction().orElseThrow();
    long free = capacity - ev.weightedSize().orElse(0);
    if (free >= size || admit(key, size, size - free)) {
      cache.put(key, size);
    }
    return false;
  }

  private boolean admit(long key, int size, long needed) {
    double benefit = f(key) * Math.pow(size, b);
    double cost = cache.policy().eviction().orElseThrow().coldest(s -> {
      double c = 0;
      long freed = 0;
      int n = 0;
      Iterator<CacheEntry<Long, Integer>> it = s.iterator();
      while (freed < needed && it.hasNext() && n < maxVictims) {
        CacheEntry<Long, Integer> e = it.next();
        c += f(e.getKey()) * Math.pow(e.getValue(), b);
        freed += e.getValue();
        n++;
      }
      return freed >= needed || freed == 0 ? c : c * needed / freed;
    });
    return benefit > cost;
  }

  @Override
  public String name() {
    return name;
  }
}
