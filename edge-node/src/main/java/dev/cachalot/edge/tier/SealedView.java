package dev.cachalot.edge.tier;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only mappings of a sealed segment file, lent out in slices so that a mapped hit is served with no copy.
 *
 * <p>Chronicle Map maps the file once; a value at address {@code a} in that mapping sits at file offset
 * {@code a - bsAddress()} when the map has no extra tier bulks (which it maps apart). Both are Chronicle Map's
 * implementation, not its contract, so every lent value is still checked (checksum and key) by its decoder, and a
 * value that does not check out here is read again with a copy before it counts as damaged. The bytes do not change
 * under a lent slice: nothing is written into a sealed segment, and a removal leaves the bytes where they are.
 *
 * <p>The file is mapped in windows of {@value #STEP} bytes (each {@value #OVERLAP} longer, so that a value up to that
 * size lies in one), on first use. Reference counted: the segment holds one reference until it is closed, each
 * lent slice one until its response is sent. The last release unmaps every window and closes the file at once, so
 * a recycled segment's deleted file gives its disk space back without waiting for a garbage collection.
 */
final class SealedView {
  private static final Logger LOG = LoggerFactory.getLogger(SealedView.class);
  /** The file is mapped in windows this far apart, each {@link #OVERLAP} longer, as values are first read there. */
  static final long STEP = 1L << 30;
  /** A value that does not fit in one window (larger than this) is copied instead. */
  static final long OVERLAP = 64L << 20;

  private final FileChannel channel;
  private final long size;
  private final long chronicleBase;
  private final @Nullable MappedByteBuffer[] windows;
  private final AtomicInteger refs = new AtomicInteger(1);

  private SealedView(FileChannel channel, long size, long chronicleBase) {
    this.channel = channel;
    this.size = size;
    this.chronicleBase = chronicleBase;
    this.windows = new MappedByteBuffer[(int) ((size + STEP - 1) / STEP)];
  }

  /** Opens {@code file} for lending, or null when its values cannot be located in it (they are then copied). */
  static @Nullable SealedView open(Path file, ChronicleMap<?, ?> map) {
    if (!(map instanceof VanillaChronicleHash<?, ?, ?, ?> hash) || hash.hasExtraTierBulks()) {
      return null;
    }
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      return new SealedView(channel, channel.size(), hash.bsAddress());
    } catch (IOException | RuntimeException e) {
      LOG.debug("EDGE-104 {} not opened for lending ({}); its values are copied", file.getFileName(), e.toString());
      return null;
    }
  }

  /** A lent slice for the value at Chronicle address {@code address}, or null if this view cannot lend it. */
  BodyPool.@Nullable Lease lend(long address, long length) {
    long offset = address - chronicleBase;
    if (offset < 0 || length < 0 || length > OVERLAP || offset + length > size || !retain()) {
      return null;
    }
    MappedByteBuffer window = window((int) (offset / STEP));
    if (window == null) {
      release();
      return null;
    }
    int at = (int) (offset % STEP);
    ByteBuffer slice = window.duplicate().position(at).limit(at + (int) length).slice();
    return BodyPool.Lease.of(slice, this::release);
  }

  /** The window starting at {@code index} x {@link #STEP}, mapped on first use; null if it cannot be mapped. */
  private synchronized @Nullable MappedByteBuffer window(int index) {
    MappedByteBuffer w = windows[index];
    if (w == null) {
      long start = index * STEP;
      try {
        w = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(STEP + OVERLAP, size - start));
        windows[index] = w;
      } catch (IOException | RuntimeException e) {
        LOG.debug("EDGE-104 cannot map a window of a sealed segment ({}); its values are copied", e.toString());
        return null;
      }
    }
    return w;
  }

  private boolean retain() {
    for (int n = refs.get(); n > 0; n = refs.get()) {
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false; // already unmapped
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      synchronized (this) {
        for (int i = 0; i < windows.length; i++) {
          MappedByteBuffer w = windows[i];
          if (w != null) {
            Unmapper.unmap(w);
            windows[i] = null;
          }
        }
      }
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("EDGE-104 closing a sealed segment's file: {}", e.toString());
      }
    }
  }

  /** For tests: whether the file is still mapped. */
  boolean mapped() {
    return refs.get() > 0;
  }

  /** Unmaps at once through {@code sun.misc.Unsafe.invokeCleaner}; where that is missing, the collector does it. */
  private static final class Unmapper {
    private static final @Nullable Object UNSAFE;
    private static final @Nullable Method INVOKE_CLEANER;

    static {
      Object unsafe = null;
      Method invoke = null;
      try {
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field f = type.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        unsafe = f.get(null);
        invoke = type.getMethod("invokeCleaner", ByteBuffer.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.debug("EDGE-105 no invokeCleaner ({}); sealed views are unmapped by the collector", e.toString());
      }
      UNSAFE = unsafe;
      INVOKE_CLEANER = invoke;
    }

    static void unmap(MappedByteBuffer mapping) {
      if (UNSAFE == null || INVOKE_CLEANER == null) {
        return;
      }
      try {
        INVOKE_CLEANER.invoke(UNSAFE, mapping);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.debug("EDGE-105 unmapping failed ({}); left to the collector", e.toString());
      }
    }
  }
}
