package dev.cachalot.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The persisted, memory-mapped tier (Chronicle Map files). Absent from {@link EdgeConfig} means memory only.
 *
 * @param dir where the map files live; created if missing, must be writable
 * @param size bytes of objects the tier holds (files are sparse: an empty tier takes almost no disk)
 * @param maxEntries objects the tier can index; fixed when the files are created
 * @param readThreads threads that read the tier on memory misses (a read may page-fault, so never an I/O thread)
 */
public record MappedTierConfig(Path dir, long size, long maxEntries, int readThreads) {
  /** The smallest useful tier. */
  public static final long MIN_SIZE = 16L << 20;
  /** Default objects per byte of size: one per 16 KiB. */
  public static final long BYTES_PER_ENTRY = 16L << 10;

  /**
   * Default read threads: one per core, at least two. While the files are in the page cache a read is a memory
   * copy, and more threads than cores only add context switches (8 threads on one core were 4% slower under a
   * Zipf load, docs/benchmarks.md); files larger than RAM on a disk that takes many requests at once want more.
   */
  public static int defaultReadThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  public MappedTierConfig {
    Objects.requireNonNull(dir, "dir");
    if (readThreads < 1 || readThreads > 256) {
      throw new IllegalArgumentException("readThreads must be 1-256");
    }
    if (size < MIN_SIZE) {
      throw new IllegalArgumentException("size must be >= 16MiB");
    }
    if (maxEntries < 1024) {
      throw new IllegalArgumentException("maxEntries must be >= 1024");
    }
  }

  /** With the default read threads. */
  public MappedTierConfig(Path dir, long size, long maxEntries) {
    this(dir, size, maxEntries, defaultReadThreads());
  }

  public static MappedTierConfig of(Path dir, long size) {
    return new MappedTierConfig(dir, size, Math.max(1024, size / BYTES_PER_ENTRY));
  }
}
