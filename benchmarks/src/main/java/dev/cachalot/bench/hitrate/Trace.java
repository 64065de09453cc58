package dev.cachalot.bench.hitrate;

import org.jspecify.annotations.Nullable;

/**
 * A cache trace in memory: one key per request and, for traces that have them, sizes in bytes. Traces here are
 * at most a few million requests, so arrays replay fastest and let Belady look ahead.
 *
 * @param sizes null for key-only traces (every object then weighs 1)
 */
public record Trace(String name, long[] keys, int @Nullable [] sizes) {
  public int length() {
    return keys.length;
  }

  public boolean hasSizes() {
    return sizes != null;
  }

  public int size(int i) {
    return sizes == null ? 1 : sizes[i];
  }

  /** For each request, the index of the next request for the same key, or {@link Integer#MAX_VALUE} for none. */
  public int[] nextUses() {
    int[] next = new int[keys.length];
    java.util.HashMap<Long, Integer> seen = new java.util.HashMap<>();
    for (int i = keys.length - 1; i >= 0; i--) {
      Integer later = seen.put(keys[i], i);
      next[i] = later == null ? Integer.MAX_VALUE : later;
    }
    return next;
  }

  public long distinctKeys() {
    return java.util.Arrays.stream(keys).distinct().count();
  }

  /** Bytes of distinct objects (or the count of distinct keys for key-only traces). */
  public long uniqueBytes() {
    if (sizes == null) {
      return distinctKeys();
    }
    java.util.HashMap<Long, Integer> seen = new java.util.HashMap<>();
    long total = 0;
    for (int i = 0; i < keys.length; i++) {
      if (seen.putIfAbsent(keys[i], sizes[i]) == null) {
        total += sizes[i];
      }
    }
    return total;
  }
}
