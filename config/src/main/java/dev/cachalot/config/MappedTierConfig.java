package dev.cachalot.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The persisted, memory-mapped tier (Chronicle Map files). Absent from {@link EdgeConfig} means memory only.
 *
 * @param dir where the map files live; created if missing, must be writable
 * @param size bytes of objects the tier holds (files are sparse: an empty tier takes almost no disk)
 * @param maxEntries objects the tier can index; fixed when the files are created
 */
public record MappedTierConfig(Path dir, long size, long maxEntries) {
  /** The smallest useful tier. */
  public static final long MIN_SIZE = 16L << 20;
  /** Default objects per byte of size: one per 16 KiB. */
  public static final long BYTES_PER_ENTRY = 16L << 10;

  public MappedTierConfig {
    Objects.requireNonNull(dir, "dir");
    if (size < MIN_SIZE) {
      throw new IllegalArgumentException("size must be >= 16MiB");
    }
    if (maxEntries < 1024) {
      throw new IllegalArgumentException("maxEntries must be >= 1024");
    }
  }

  public static MappedTierConfig of(Path dir, long size) {
    return new MappedTierConfig(dir, size, Math.max(1024, size / BYTES_PER_ENTRY));
  }
}
