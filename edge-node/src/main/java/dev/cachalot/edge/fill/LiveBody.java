package dev.cachalot.edge.fill;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A body that many clients read while it arrives from the origin. One thread appends; readers see every byte up to
 * {@link #length()} and ask to be called back when more arrives. It only grows, so a byte once seen never changes,
 * and readers share the one array: a slow reader holds a reference, never a copy.
 */
public final class LiveBody {
  /** Bytes appended per read, so that readers hear of progress in small steps. */
  private static final int STEP = 64 * 1024;
  private static final int OPEN = 0;
  private static final int DONE = 1;
  private static final int FAILED = 2;

  private final byte[] bytes;
  private final int base;
  private volatile int length;
  private volatile int state;
  private final long expected;
  private @Nullable List<Runnable> waiters = new ArrayList<>();

  /** An empty body to fill; {@code expected} is its Content-Length (fills of unknown length are not shared). */
  public LiveBody(long expected) {
    this.expected = expected;
    this.bytes = new byte[Math.toIntExact(expected)];
    this.base = 0;
  }

  private LiveBody(byte[] array, int offset, int length) {
    this.expected = length;
    this.bytes = array;
    this.base = offset;
    this.length = length;
    this.state = DONE;
    this.waiters = null;
  }

  /** A body that is already complete (a stored one), for readers that handle both alike. */
  public static LiveBody complete(byte[] array, int offset, int length) {
    return new LiveBody(array, offset, length);
  }

  /** The Content-Length. */
  public long expected() {
    return expected;
  }

  /** Bytes readable now; read this before {@link #array()}. */
  public int length() {
    return length;
  }

  /** The array holding the body from {@link #offset()}; never modify it. */
  public byte[] array() {
    return bytes;
  }

  public int offset() {
    return base;
  }

  /** Complete: every byte is here. */
  public boolean done() {
    return state == DONE;
  }

  /** The origin's body broke off: no more bytes will come. */
  public boolean failed() {
    return state == FAILED;
  }

  /** Runs {@code r} (on the appending thread, or at once) when more than {@code seen} bytes are here or it ended. */
  public void whenBeyond(int seen, Runnable r) {
    synchronized (this) {
      if (length <= seen && state == OPEN) {
        java.util.Objects.requireNonNull(waiters).add(r);
        return;
      }
    }
    r.run();
  }

  /**
   * Appends the next bytes read from {@code in}, at most up to the expected length.
   *
   * @return bytes appended, or -1 at the end of {@code in} or of the expected length
   */
  private int readFrom(InputStream in) throws IOException {
    byte[] b = bytes;
    int at = length;
    if (at == b.length) {
      return -1;
    }
    int n = in.read(b, at, Math.min(STEP, b.length - at));
    if (n > 0) {
      length = at + n;
      wake();
    }
    return n;
  }

  /** Reads {@code in} to the expected length; a body that ends sooner or breaks fails this one and throws. */
  void readAll(InputStream in) throws IOException {
    try {
      while (length < expected && readFrom(in) >= 0) {
        // appended; readers woken
      }
      if (length != expected) {
        throw new dev.cachalot.origin.OriginException(dev.cachalot.origin.OriginException.Kind.PROTOCOL, false,
            "body ended after " + length + " of " + expected + " bytes");
      }
      finish();
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
  }

  /** Every byte is here: wakes every reader. */
  void finish() {
    state = DONE;
    wake();
  }

  void fail() {
    state = FAILED;
    wake();
  }

  /** The complete body as one array (the same array when the length was known). */
  byte[] toArray() {
    byte[] b = bytes;
    return b.length == length && base == 0 ? b : java.util.Arrays.copyOfRange(b, base, base + length);
  }

  private void wake() {
    List<Runnable> ready;
    synchronized (this) {
      if (waiters == null || waiters.isEmpty()) {
        return;
      }
      ready = waiters;
      waiters = state == OPEN ? new ArrayList<>() : null;
    }
    for (Runnable r : ready) {
      r.run();
    }
  }
}
