package dev.cachalot.edge.tier;

/**
 * Small saturating access counters (0-3) per key hash, as S3-FIFO keeps them: every lookup increments, and a
 * second chance at recycling spends one. A key popular once but idle since runs out of chances, so nothing stays
 * forever. Collisions only ever give a key a chance it did not earn. Racy updates are fine: it is an estimate.
 */
final class FrequencySketch {
  private static final int MAX = 3;

  private final byte[] counters;
  private final int full;
  private final int mask;

  /** @param expectedKeys about how many distinct keys are tracked (the table is 4x, at least 1024) */
  FrequencySketch(long expectedKeys) {
    this(expectedKeys, MAX);
  }

  /** @param full the count at which {@link #countToFull} answers true (1 to 127) */
  FrequencySketch(long expectedKeys, int full) {
    if (full < 1 || full > Byte.MAX_VALUE) {
      throw new IllegalArgumentException("full: " + full);
    }
    this.full = full;
    int size = Integer.highestOneBit((int) Math.min(1 << 24, Math.max(1024, expectedKeys * 4)));
    this.counters = new byte[size];
    this.mask = size - 1;
  }

  void increment(int hash) {
    int i = index(hash);
    if (counters[i] < MAX) {
      counters[i]++;
    }
  }

  /** Spends one chance; true if there was one. */
  boolean spend(int hash) {
    int i = index(hash);
    if (counters[i] > 0) {
      counters[i]--;
      return true;
    }
    return false;
  }

  /**
   * Counts one more; true (and back to zero) when the count was already at {@code full}. A sketch counted this way
   * is not also used with {@link #increment} and {@link #spend}.
   */
  boolean countToFull(int hash) {
    int i = index(hash);
    if (counters[i] >= full) {
      counters[i] = 0;
      return true;
    }
    counters[i]++;
    return false;
  }

  private int index(int hash) {
    int h = hash * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
