package dev.cachalot.edge.tier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import net.openhft.chronicle.map.ChronicleMap;
import org.jspecify.annotations.Nullable;

/**
 * One Chronicle Map file of the mapped tier's ring. Reads and writes share a read lock; closing takes the write
 * lock, so a file is never unmapped under a reader.
 */
final class MappedSegment implements AutoCloseable {
  final long generation;
  final Path file;
  private final ChronicleMap<byte[], byte[]> map;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicLong bytes;
  private volatile boolean open = true;

  private MappedSegment(long generation, Path file, ChronicleMap<byte[], byte[]> map, long estimatedBytes) {
    this.generation = generation;
    this.file = file;
    this.map = map;
    this.bytes = new AtomicLong(estimatedBytes);
  }

  /**
   * Opens or creates a segment file.
   *
   * @param recover true after an unclean stop: Chronicle Map checks and repairs the file (exclusive access)
   */
  static MappedSegment open(Path file, long generation, long entries, double averageValueSize, boolean recover)
      throws IOException {
    var builder = ChronicleMap.of(byte[].class, byte[].class)
        .name("cachalot-" + generation)
        .constantKeySizeBySample(new byte[16])
        .averageValueSize(averageValueSize)
        .entries(entries)
        .maxBloatFactor(2.0)
        .sparseFile(true);
    ChronicleMap<byte[], byte[]> map = recover && Files.exists(file)
        ? builder.recoverPersistedTo(file.toFile(), true)
        : builder.createPersistedTo(file.toFile());
    return new MappedSegment(generation, file, map, (long) (map.longSize() * averageValueSize));
  }

  byte @Nullable [] get(byte[] key) {
    lock.readLock().lock();
    try {
      return open ? map.get(key) : null;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Copies the value into a buffer lent from {@code pool}, without a heap array; null when absent, and also when
   * too large to be lent ({@code tooLarge} is then set, so that the caller reads it onto the heap instead).
   */
  BodyPool.@Nullable Lease getInto(byte[] key, BodyPool pool, boolean[] tooLarge) {
    lock.readLock().lock();
    try {
      if (!open) {
        return null;
      }
      try (var c = map.queryContext(key)) {
        var entry = c.entry();
        if (entry == null) {
          return null;
        }
        var value = entry.value();
        BodyPool.Lease lease = pool.lend(value.size());
        if (lease == null) {
          tooLarge[0] = true;
          return null;
        }
        value.writeTo(lease.store(), 0);
        return lease;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Stores; false if this segment is closed or has no room for the value. */
  boolean put(byte[] key, byte[] value) {
    lock.readLock().lock();
    try {
      if (!open) {
        return false;
      }
      byte[] previous = map.put(key, value);
      bytes.addAndGet(value.length - (previous == null ? 0 : previous.length));
      return true;
    } catch (IllegalStateException | IllegalArgumentException e) {
      return false; // Chronicle Map: segment full or entry too large for this map's geometry
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Removes; returns the removed value's length, or -1. */
  long remove(byte[] key) {
    lock.readLock().lock();
    try {
      if (!open) {
        return -1;
      }
      byte[] previous = map.remove(key);
      if (previous == null) {
        return -1;
      }
      bytes.addAndGet(-previous.length);
      return previous.length;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** What recycling sees of an entry: its key, the URL hash from the value's header, and the value on demand. */
  interface EntryVisitor {
    void visit(byte[] key, int urlHash, long size, java.util.function.Supplier<byte[]> value);
  }

  /** Visits every entry without copying values that the visitor does not ask for. */
  void forEach(EntryVisitor visitor) {
    lock.readLock().lock();
    try {
      if (open) {
        map.forEachEntry(e -> {
          var d = e.value();
          int hash = 0;
          if (d.size() >= 16) {
            var b = d.bytes();
            long at = d.offset() + StoredForm.URL_HASH_OFFSET;
            hash = (b.readByte(at) & 0xff) << 24 | (b.readByte(at + 1) & 0xff) << 16
                | (b.readByte(at + 2) & 0xff) << 8 | (b.readByte(at + 3) & 0xff);
          }
          visitor.visit(e.key().get(), hash, d.size(), d::get);
        });
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  long objects() {
    return open ? map.longSize() : 0;
  }

  long bytes() {
    return Math.max(0, bytes.get());
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (open) {
        open = false;
        map.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Closes and removes the file. */
  void delete() throws IOException {
    close();
    Files.deleteIfExists(file);
  }
}
