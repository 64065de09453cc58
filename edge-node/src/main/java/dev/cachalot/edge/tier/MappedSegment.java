package dev.cachalot.edge.tier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import org.jspecify.annotations.Nullable;

/**
 * One Chronicle Map file of the mapped tier's ring. Reads and writes share a read lock; closing takes the write
 * lock, so a file is never unmapped under a reader.
 *
 * <p>Once {@link #seal sealed} (no longer the ring's newest segment, so nothing is written into it again), the file
 * is also mapped read-only a second time ({@link SealedView}), and a value can be lent as a slice of that mapping
 * instead of being copied out. The view stays mapped while any lent slice is in use, even after the segment is
 * recycled and its file deleted.
 */
final class MappedSegment implements AutoCloseable {
  final long generation;
  final Path file;
  private final ChronicleMap<byte[], byte[]> map;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicLong bytes;
  private volatile boolean open = true;
  private volatile @Nullable SealedView view;

  private MappedSegment(long generation, Path file, ChronicleMap<byte[], byte[]> map, long estimatedBytes) {
    this.generation = generation;
    this.file = file;
    this.map = map;
    this.bytes = new AtomicLong(estimatedBytes);
  }

  /** The suffix of a segment file being created: it gets its real name only once it is complete. */
  static final String PARTIAL = ".partial";

  /**
   * Opens an existing segment file.
   *
   * @param recover true after an unclean stop: Chronicle Map checks and repairs the file (exclusive access)
   */
  static MappedSegment open(Path file, long generation, long entries, double averageValueSize, boolean recover)
      throws IOException {
    var builder = builder(generation, entries, averageValueSize);
    ChronicleMap<byte[], byte[]> map = recover && Files.exists(file)
        ? builder.recoverPersistedTo(file.toFile(), true)
        : builder.createPersistedTo(file.toFile());
    return new MappedSegment(generation, file, map, (long) (map.longSize() * averageValueSize));
  }

  /**
   * Creates a new segment file under a temporary name and renames it when it is complete: a creation cut short (an
   * interrupted thread, a crash) leaves only a {@link #PARTIAL} file, which the next open deletes, never a half-made
   * segment that Chronicle Map would wait a minute for and then refuse.
   */
  static MappedSegment create(Path file, long generation, long entries, double averageValueSize) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + PARTIAL);
    Files.deleteIfExists(partial);
    ChronicleMap<byte[], byte[]> map = null;
    try {
      map = builder(generation, entries, averageValueSize).createPersistedTo(partial.toFile());
      Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      if (map != null) {
        map.close();
      }
      Files.deleteIfExists(partial);
      throw e;
    }
    return new MappedSegment(generation, file, map, (long) (map.longSize() * averageValueSize));
  }

  private static net.openhft.chronicle.map.ChronicleMapBuilder<byte[], byte[]> builder(long generation, long entries,
      double averageValueSize) {
    return ChronicleMap.of(byte[].class, byte[].class)
        .name("cachalot-" + generation)
        .constantKeySizeBySample(new byte[16])
        .averageValueSize(averageValueSize)
        .entries(entries)
        .maxBloatFactor(2.0)
        .sparseFile(true);
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
   * Lends the value: as a slice of the sealed view where it can (no copy), else copied into a buffer from
   * {@code pool}. Null when absent, and also when too large to be copied ({@code tooLarge} is then set, so that the
   * caller reads it onto the heap instead). One lookup either way.
   */
  BodyPool.@Nullable Lease lend(byte[] key, BodyPool pool, boolean[] tooLarge) {
    SealedView v = view;
    return withValue(key, value -> {
      BodyPool.Lease slice = v == null ? null : slice(v, value);
      return slice != null ? slice : copy(value, pool, tooLarge);
    });
  }

  /** As {@link #lend}, always by a copy: for a value that did not check out as the view lent it. */
  BodyPool.@Nullable Lease getInto(byte[] key, BodyPool pool, boolean[] tooLarge) {
    return withValue(key, value -> copy(value, pool, tooLarge));
  }

  private static BodyPool.@Nullable Lease copy(Data<byte[]> value, BodyPool pool, boolean[] tooLarge) {
    BodyPool.Lease lease = pool.lend(value.size());
    if (lease == null) {
      tooLarge[0] = true;
      return null;
    }
    value.writeTo(lease.store(), 0);
    return lease;
  }

  private static BodyPool.@Nullable Lease slice(SealedView v, Data<byte[]> value) {
    return v.lend(value.bytes().addressForRead(value.offset()), value.size());
  }

  /** Lends a value found in the map: by a copy into a pooled buffer, or as a slice of the sealed view. */
  private interface Lender {
    BodyPool.@Nullable Lease lend(Data<byte[]> value);
  }

  /** Lends the value under {@code key} while the file is open and the entry locked; null if absent. */
  private BodyPool.@Nullable Lease withValue(byte[] key, Lender read) {
    lock.readLock().lock();
    try {
      if (!open) {
        return null;
      }
      try (var c = map.queryContext(key)) {
        var entry = c.entry();
        return entry == null ? null : read.lend(entry.value());
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Marks the segment as written for the last time and opens it for lending ({@link #lend}). Called under the
   * tier's write lock, when a newer segment takes all further writes. A map whose entries Chronicle Map has placed
   * in extra tier bulks (mapped apart) is not lent from: its values are copied as before.
   */
  void seal() {
    lock.readLock().lock();
    try {
      if (open && view == null) {
        view = SealedView.open(file, map);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * For tests: the value as a lent slice of the sealed view, with no copy; null when absent, when the segment is
   * not sealed or not open for lending, or when the value is not where the view expects it.
   */
  BodyPool.@Nullable Lease lendView(byte[] key) {
    SealedView v = view;
    return v == null ? null : withValue(key, value -> slice(v, value));
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

  /** For tests: whether this segment has a sealed view that is still mapped. */
  boolean viewMapped() {
    SealedView v = view;
    return v != null && v.mapped();
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
        SealedView v = view;
        if (v != null) {
          v.release(); // the segment's own hold: unmapped once no lent slice is in use
        }
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
