package dev.cachalot.edge.tier;

/**
 * Approximate access counts (a count-min sketch of 4-bit-style saturating counters, halved periodically so that
 * old popularity fades), the same idea as Caffeine's TinyLFU. Racy updates are fine: it is an estimate.
 */
final class FrequencySketch {
  private static final int[] SEEDS = {0x97cb3127, 0xb4b82e55, 0x9e3779b9, 0x7f4a7c15};
  private static final int MAX = 15;

  private final byte[] table;
  private final int rowBits;
  private final int rowSize;
  private final int sampleSize;
  private int additions;

  /** @param expectedKeys about how many distinct keys are tracked */
  FrequencySketch(long expectedKeys) {
    int size = Integer.highestOneBit((int) Math.min(1 << 22, Math.max(1024, expectedKeys * 2)));
    this.rowSize = size;
    this.rowBits = Integer.numberOfTrailingZeros(size);
    this.table = new byte[4 * size];
    this.sampleSize = 10 * size;
  }

  void increment(int hash) {
    for (int r = 0; r < 4; r++) {
      int i = index(hash, r);
      if (table[i] < MAX) {
        table[i]++;
      }
    }
    if (++additions >= sampleSize) {
      halve();
    }
  }

  int frequency(int hash) {
    int min = MAX;
    for (int r = 0; r < 4; r++) {
      min = Math.min(min, table[index(hash, r)]);
    }
    return min;
  }

  private int index(int hash, int row) {
    int h = (hash ^ (hash >>> 16)) * SEEDS[row];
    return row * rowSize + (h >>> (32 - rowBits));
  }

  private void halve() {
    for (int i = 0; i < table.length; i++) {
      table[i] = (byte) (table[i] >> 1);
    }
    additions /= 2;
  }
}
