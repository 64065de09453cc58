package dev.cachalot.bench.hitrate;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Least recently used, bounded by total size, admitting everything: what nginx and Varnish do. */
final class LruPolicy implements Policy {
  private final long capacity;
  private final LinkedHashMap<Long, Integer> entries = new LinkedHashMap<>(1 << 16, 0.75f, true);
  private long used;

  LruPolicy(long capacity) {
    this.capacity = capacity;
  }

  @Override
  public boolean access(int index, long key, int size) {
    if (entries.get(key) != null) {
      return true;
    }
    if (size > capacity) {
      return false;
    }
    entries.put(key, size);
    used += size;
    Iterator<Map.Entry<Long, Integer>> eldest = entries.entrySet().iterator();
    while (used > capacity) {
      used -= eldest.next().getValue();
      eldest.remove();
    }
    return false;
  }

  @Override
  public String name() {
    return "lru";
  }
}
