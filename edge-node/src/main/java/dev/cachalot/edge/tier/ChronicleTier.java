package dev.cachalot.edge.tier;

import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.config.Sizes;
import dev.cachalot.edge.key.CacheKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapped tier: a ring of {@value #SEGMENTS} Chronicle Map files. New objects go to the newest segment; when it
 * is full, a new segment is created and the oldest is recycled. Recycling is frequency-aware, as in S3-FIFO: an
 * object that was read since it was written (its {@link FrequencySketch} counter is above zero) spends one count
 * for a second chance in the new segment (up to half of it); the rest are evicted. This works around Chronicle
 * Map's fixed geometry and lack of eviction: each file is created once with a fixed entry count and dropped whole.
 *
 * <p>Keys are MD5 hashes of the URL (16 bytes); the value repeats the URL, so a collision reads as a miss. Every
 * read verifies the entry's CRC32C; a damaged entry is removed, counted and never served. A clean-shutdown marker
 * decides whether files are opened directly or checked by Chronicle Map's recovery first.
 */
final class ChronicleTier implements CacheTier {
  static final int SEGMENTS = 8;
  static final int FORMAT_VERSION = 1;
  static final String FORMAT_FILE = "FORMAT";
  static final String CLEAN_FILE = "CLEAN-SHUTDOWN";
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleTier.class);
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private final Path dir;
  private final long capacity;
  private final long entriesPerSegment;
  private final double averageValueSize;
  private final long segmentBudget;
  private final FrequencySketch sketch;
  private final Executor reads;
  private final boolean ownsReads;
  private boolean secondChance = true;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final TierStats stats = new TierStats();
  private volatile MappedSegment[] segments; // newest first

  private ChronicleTier(MappedTierConfig config, FrequencySketch sketch, Executor reads, boolean ownsReads) {
    this.ownsReads = ownsReads;
    this.dir = config.dir();
    this.capacity = config.size();
    this.entriesPerSegment = Math.max(128, config.maxEntries() / SEGMENTS);
    this.averageValueSize = Math.max(4096.0, (double) config.size() / config.maxEntries());
    this.segmentBudget = config.size() / SEGMENTS;
    this.sketch = sketch;
    this.reads = reads;
    this.segments = new MappedSegment[0];
  }

  /** Opens (or creates) the tier's files; a problem is a {@link TierOpenException} naming the setting. */
  static ChronicleTier open(MappedTierConfig config, FrequencySketch sketch, Executor reads, boolean ownsReads) {
    ChronicleTier tier = new ChronicleTier(config, sketch, reads, ownsReads);
    try {
      tier.openFiles();
    } catch (IOException | RuntimeException e) {
      tier.close();
      if (e instanceof TierOpenException t) {
        throw t;
      }
      throw new TierOpenException("tiers.mapped.dir: cannot open the mapped tier in " + config.dir() + ": " + e, e);
    }
    return tier;
  }

  private void openFiles() throws IOException {
    Files.createDirectories(dir);
    List<long[]> found = new ArrayList<>(); // {generation}
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "seg-*.cmap")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        try {
          found.add(new long[] {Long.parseLong(name.substring(4, name.length() - 5))});
        } catch (NumberFormatException e) {
          throw new TierOpenException("tiers.mapped.dir: unexpected file " + f + " (not written by Cachalot)", e);
        }
      }
    }
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, "seg-*.cmap" + MappedSegment.PARTIAL)) {
      for (Path f : partials) { // a segment whose creation was cut short: nothing in it yet
        LOG.warn("EDGE-106 deleting {}, a segment file whose creation did not finish", f);
        Files.deleteIfExists(f);
      }
    }
    checkFormat(!found.isEmpty());
    Path clean = dir.resolve(CLEAN_FILE);
    boolean recover = !found.isEmpty() && !Files.exists(clean);
    if (recover) {
      LOG.warn("EDGE-100 mapped tier in {} was not closed cleanly; checking its files", dir);
    }
    found.sort(Comparator.comparingLong((long[] g) -> g[0]).reversed());
    List<MappedSegment> open = new ArrayList<>();
    for (long[] g : found) {
      Path file = segmentFile(g[0]);
      if (open.size() >= SEGMENTS) { // a crash during recycling leaves one extra: drop the oldest
        Files.deleteIfExists(file);
        continue;
      }
      open.add(MappedSegment.open(file, g[0], entriesPerSegment, averageValueSize, recover));
      segments = open.toArray(new MappedSegment[0]);
    }
    if (open.isEmpty()) {
      open.add(MappedSegment.create(segmentFile(1), 1, entriesPerSegment, averageValueSize));
    }
    segments = open.toArray(new MappedSegment[0]);
    for (int i = 1; i < segments.length; i++) {
      segments[i].seal(); // only the newest takes writes
    }
    Files.deleteIfExists(clean); // from now on a crash leaves no marker
  }

  /** Refuses files of another format or geometry rather than misreading them. */
  private void checkFormat(boolean filesExist) throws IOException {
    Path format = dir.resolve(FORMAT_FILE);
    Properties expected = new Properties();
    expected.setProperty("format", Integer.toString(FORMAT_VERSION));
    expected.setProperty("segments", Integer.toString(SEGMENTS));
    expected.setProperty("entriesPerSegment", Long.toString(entriesPerSegment));
    expected.setProperty("averageValueSize", Long.toString((long) averageValueSize));
    if (!Files.exists(format)) {
      if (filesExist) {
        throw new TierOpenException("tiers.mapped.dir: " + dir + " holds segment files but no " + FORMAT_FILE
            + " file; use an empty directory");
      }
      Path tmp = dir.resolve(FORMAT_FILE + ".tmp");
      StringBuilder sb = new StringBuilder("# Cachalot mapped tier. Do not edit.\n");
      for (String k : new String[] {"format", "segments", "entriesPerSegment", "averageValueSize"}) {
        sb.append(k).append('=').append(expected.getProperty(k)).append('\n');
      }
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, format, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    Properties actual = new Properties();
    try (var in = Files.newBufferedReader(format, StandardCharsets.UTF_8)) {
      actual.load(in);
    }
    String version = actual.getProperty("format", "?");
    if (!version.equals(expected.getProperty("format"))) {
      throw new TierOpenException("tiers.mapped.dir: " + dir + " holds format " + version
          + " files; this release reads format " + FORMAT_VERSION + " (use another directory, or remove the files)");
    }
    for (String k : new String[] {"segments", "entriesPerSegment", "averageValueSize"}) {
      if (!expected.getProperty(k).equals(actual.getProperty(k))) {
        throw new TierOpenException("tiers.mapped: " + dir + " was created with " + k + "=" + actual.getProperty(k)
            + " but the configuration now gives " + expected.getProperty(k)
            + " (tiers.mapped.size / maxEntries changed); use another directory, or remove the files");
      }
    }
  }

  private Path segmentFile(long generation) {
    return dir.resolve("seg-" + generation + ".cmap");
  }

  static byte[] keyBytes(CacheKey key) {
    MessageDigest md = MD5.get();
    md.reset();
    return md.digest(key.url().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public CompletableFuture<@Nullable CacheEntry> lookup(CacheKey key) {
    return CacheTier.LowerTierRead.on(reads, () -> {
      sketch.increment(key.url().hashCode());
      return read(key);
    });
  }

  @Override
  public CompletableFuture<@Nullable CacheEntry> recheck(CacheKey key) {
    return CacheTier.LowerTierRead.on(reads, () -> readQuietly(key));
  }

  /** As {@link #read}, counted as neither hit nor miss (see {@link CacheTier#recheck}). */
  @Nullable CacheEntry readQuietly(CacheKey key) {
    return read(key, null, false);
  }

  /** Reads and verifies; blocking (page faults are disk I/O), so never call it on an I/O thread. */
  @Nullable CacheEntry read(CacheKey key) {
    return read(key, null, true);
  }

  /**
   * As {@link #read}, with the bodies in a buffer lent from {@code pool} rather than on the heap: for a response
   * that is served once and not kept. Values too large to lend are read onto the heap.
   */
  @Nullable CacheEntry readLent(CacheKey key, BodyPool pool) {
    return read(key, pool, true);
  }

  private @Nullable CacheEntry read(CacheKey key, @Nullable BodyPool pool, boolean counted) {
    byte[] k = keyBytes(key);
    boolean[] onHeap = {pool == null}; // no pool, or (set by lend) a value too large to lend
    for (MappedSegment s : segments) {
      BodyPool.Lease lease = onHeap[0] ? null : s.lend(k, Objects.requireNonNull(pool), onHeap);
      if (lease != null && !lease.pooled()) { // a slice of a sealed segment's file
        CacheEntry e = fromView(lease, key);
        if (e != null) {
          return counted ? hit(e, lease.buffer().limit()) : e;
        }
        lease = s.getInto(k, Objects.requireNonNull(pool), onHeap); // a copy decides whether it is damaged
      }
      byte[] v = onHeap[0] ? s.get(k) : null;
      if (lease == null && v == null) {
        continue;
      }
      try {
        if (lease != null) {
          CacheEntry e = StoredForm.decode(lease, key);
          return counted ? hit(e, lease.buffer().limit()) : e;
        }
        byte[] value = Objects.requireNonNull(v);
        CacheEntry e = StoredForm.decode(value, key);
        return counted ? hit(e, value.length) : e;
      } catch (StoredForm.CorruptEntryException e) {
        if (lease != null) {
          lease.release();
        }
        stats.integrityFailures.increment();
        s.remove(k);
        LOG.warn("EDGE-101 dropped a damaged entry for {} from {}: {}", key, s.file.getFileName(), e.getMessage());
        break;
      }
    }
    if (counted) {
      stats.misses.increment();
    }
    return null;
  }

  private CacheEntry hit(CacheEntry e, long bytes) {
    stats.hits.increment();
    stats.hitBytes.add(bytes);
    return e;
  }

  /**
   * The entry decoded from a slice of a sealed segment's file, or null (the slice given back) when it does not
   * check out: the view's idea of where the value lies may be wrong, so the copying read decides whether it is
   * damaged.
   */
  private static @Nullable CacheEntry fromView(BodyPool.Lease lease, CacheKey key) {
    try {
      return StoredForm.decode(lease, key);
    } catch (StoredForm.CorruptEntryException e) {
      lease.release();
      return null;
    }
  }

  @Override
  public void store(CacheKey key, StoredResponse response) {
    writeLock.lock();
    try {
      CacheEntry existing = peek(key);
      write(key, existing == null ? CacheEntry.of(response) : existing.with(response));
    } finally {
      writeLock.unlock();
    }
  }

  private @Nullable CacheEntry peek(CacheKey key) {
    byte[] k = keyBytes(key);
    for (MappedSegment s : segments) {
      byte[] v = s.get(k);
      if (v != null) {
        try {
          return StoredForm.decode(v, key);
        } catch (StoredForm.CorruptEntryException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** Writes a whole entry into the newest segment, recycling the oldest when it is full. */
  void write(CacheKey key, CacheEntry entry) {
    byte[] value = StoredForm.encode(key, entry);
    byte[] k = keyBytes(key);
    writeLock.lock();
    try {
      if (segments.length == 0) {
        return; // closed
      }
      MappedSegment active = segments[0];
      if (active.bytes() + value.length > segmentBudget * 9 / 10 || active.objects() >= entriesPerSegment * 9 / 10) {
        rotate();
      }
      MappedSegment[] segs = segments;
      for (int i = 1; i < segs.length; i++) {
        segs[i].remove(k); // one copy per key, in the newest segment
      }
      if (!segs[0].put(k, value)) {
        rotate();
        if (!segments[0].put(k, value)) {
          LOG.debug("EDGE-102 {} ({} bytes) does not fit the mapped tier; kept in memory only", key, value.length);
          return;
        }
      }
      stats.stores.increment();
    } catch (IOException e) {
      LOG.warn("EDGE-103 mapped tier write failed for {}: {}", key, e.toString());
    } finally {
      writeLock.unlock();
    }
  }

  /** A new newest segment; when the ring is full, the oldest is recycled with a second chance for popular objects. */
  private void rotate() throws IOException {
    MappedSegment[] segs = segments;
    long generation = segs[0].generation + 1;
    MappedSegment fresh = MappedSegment.create(segmentFile(generation), generation, entriesPerSegment,
        averageValueSize);
    List<MappedSegment> next = new ArrayList<>(SEGMENTS);
    next.add(fresh);
    MappedSegment recycled = null;
    for (int i = 0; i < segs.length; i++) {
      if (i == segs.length - 1 && segs.length >= SEGMENTS) {
        recycled = segs[i];
      } else {
        next.add(segs[i]);
      }
    }
    if (recycled != null) {
      // second chance, capped at half a segment (bytes and entries) so that the new segment has room to fill
      long[] kept = {0, 0}; // bytes, entries
      long keepBytes = segmentBudget / 2;
      long keepEntries = entriesPerSegment / 2;
      recycled.forEach((key, urlHash, size, value) -> {
        if (secondChance && kept[0] + size <= keepBytes && kept[1] < keepEntries && sketch.spend(urlHash)
            && fresh.put(key, value.get())) {
          kept[0] += size;
          kept[1]++;
        } else {
          stats.evictions.increment();
          stats.evictedBytes.add(size);
        }
      });
    }
    segments = next.toArray(new MappedSegment[0]);
    segs[0].seal(); // the previous newest takes no more writes
    if (recycled != null) {
      recycled.delete();
    }
  }

  /** For tests: the ring, newest first. */
  MappedSegment[] segments() {
    return segments;
  }

  /** Plain FIFO recycling (no second chance): only for comparing policies in the simulator. */
  ChronicleTier withoutSecondChance() {
    this.secondChance = false;
    return this;
  }

  @Override
  public void invalidate(CacheKey key, RemovalReason why) {
    byte[] k = keyBytes(key);
    writeLock.lock();
    try {
      boolean removed = false;
      for (MappedSegment s : segments) {
        removed |= s.remove(k) >= 0;
      }
      if (removed) {
        stats.invalidations.increment();
      }
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public TierStats.Snapshot stats() {
    long objects = 0;
    long bytes = 0;
    for (MappedSegment s : segments) {
      objects += s.objects();
      bytes += s.bytes();
    }
    return stats.snapshot("mapped", objects, bytes, capacity);
  }

  /** Closes every file and leaves the clean-shutdown marker. */
  @Override
  public void close() {
    if (ownsReads && reads instanceof java.util.concurrent.ExecutorService pool) {
      pool.shutdown();
    }
    writeLock.lock();
    try {
      MappedSegment[] segs = segments;
      segments = new MappedSegment[0];
      for (MappedSegment s : segs) {
        s.close();
      }
      if (segs.length > 0) {
        Files.writeString(dir.resolve(CLEAN_FILE), "closed cleanly\n", StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "mapped tier " + dir + " (" + Sizes.format(capacity) + ", " + SEGMENTS + " segments)";
  }
}
