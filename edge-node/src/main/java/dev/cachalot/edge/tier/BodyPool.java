package dev.cachalot.edge.tier;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.bytes.BytesStore;
import org.jspecify.annotations.Nullable;

/**
 * Direct buffers that mapped-tier values are copied into to be served once, and then reused: a mapped hit that
 * is not promoted to memory costs one copy out of the map, no heap array (zeroed, then collected), and no copy
 * into the JDK's temporary direct buffer for the socket. Buffers come in power-of-two sizes from {@value #MIN}
 * bytes; values above {@value #MAX} bytes are read onto the heap as before.
 */
final class BodyPool {
  static final int MIN = 16 * 1024;
  static final int MAX = 8 * 1024 * 1024;
  /** Idle buffers kept per size: more than this many in flight at once are allocated and dropped. */
  private static final int IDLE_PER_SIZE = 16;

  /** One pooled buffer, and the Chronicle view that values are copied through. */
  record Pooled(ByteBuffer buffer, BytesStore<?, ?> store) {}

  /**
   * A buffer lent for one response: a pooled buffer, or a slice of a mapped segment file ({@link #of}).
   * {@link #release} gives it back once, however often it is called.
   */
  static final class Lease {
    private final ByteBuffer buffer;
    private final @Nullable BytesStore<?, ?> store;
    private final Runnable giveBack;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(ByteBuffer buffer, @Nullable BytesStore<?, ?> store, Runnable giveBack) {
      this.buffer = buffer;
      this.store = store;
      this.giveBack = giveBack;
    }

    /** Lends {@code buffer} (read-only bytes that stay valid until {@code giveBack} runs). */
    static Lease of(ByteBuffer buffer, Runnable giveBack) {
      return new Lease(buffer, null, giveBack);
    }

    ByteBuffer buffer() {
      return buffer;
    }

    /** The Chronicle view that a value is copied into; only for a pooled buffer. */
    BytesStore<?, ?> store() {
      if (store == null) {
        throw new IllegalStateException("not a pooled buffer");
      }
      return store;
    }

    /** True for a pooled buffer the value was copied into; false for a slice of a segment file. */
    boolean pooled() {
      return store != null;
    }

    boolean released() {
      return released.get();
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        giveBack.run();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedDeque<Pooled>[] idle = new ConcurrentLinkedDeque[sizeClass(MAX) + 1];
  private final AtomicInteger[] idleCount = new AtomicInteger[idle.length];

  BodyPool() {
    for (int i = 0; i < idle.length; i++) {
      idle[i] = new ConcurrentLinkedDeque<>();
      idleCount[i] = new AtomicInteger();
    }
  }

  private static int sizeClass(int bytes) {
    int size = Math.max(MIN, Integer.highestOneBit(Math.max(1, bytes - 1)) << 1);
    return Integer.numberOfTrailingZeros(size) - Integer.numberOfTrailingZeros(MIN);
  }

  /** A buffer of at least {@code bytes}, positioned at 0 with that limit; null when the value is too large. */
  @Nullable Lease lend(long bytes) {
    if (bytes > MAX || bytes < 0) {
      return null;
    }
    int c = sizeClass((int) bytes);
    Pooled p = idle[c].pollFirst(); // last in, first out: its lines may still be in the CPU's caches
    if (p == null) {
      ByteBuffer b = ByteBuffer.allocateDirect(MIN << c);
      p = new Pooled(b, BytesStore.wrap(b));
    } else {
      idleCount[c].decrementAndGet();
    }
    p.buffer().clear().limit((int) bytes);
    Pooled lent = p;
    return new Lease(p.buffer(), p.store(), () -> giveBack(lent));
  }

  private void giveBack(Pooled p) {
    int c = Integer.numberOfTrailingZeros(p.buffer().capacity()) - Integer.numberOfTrailingZeros(MIN);
    if (idleCount[c].incrementAndGet() <= IDLE_PER_SIZE) {
      idle[c].addFirst(p);
    } else {
      idleCount[c].decrementAndGet(); // dropped: the collector frees it
    }
  }
}
