package dev.cachalot.edge.http;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;

/**
 * A value per thread, as a {@link ThreadLocal} gives, found on an XNIO I/O thread by the thread's number rather than
 * in the thread's map of thread locals. The hit path's three thread-local lookups probed that map (it holds many
 * libraries' thread locals) for about 2% of the I/O thread's time; a slot of an array is a few loads. Other threads,
 * and an I/O thread whose number another live thread holds (a second worker's), get a plain thread local's value,
 * the same object the slot would hold.
 */
public final class IoThreadLocal<T> {
  private static final int SLOTS = 256;

  private record Slot<T>(Thread owner, T value) {}

  private final AtomicReferenceArray<Slot<T>> slots = new AtomicReferenceArray<>(SLOTS);
  private final ThreadLocal<T> local;

  public IoThreadLocal(Supplier<? extends T> initial) {
    this.local = ThreadLocal.withInitial(initial);
  }

  /** The calling thread's value, made with the supplier on first use. */
  public T get() {
    Thread t = Thread.currentThread();
    if (t instanceof XnioIoThread io) {
      int n = io.getNumber();
      if (n >= 0 && n < SLOTS) {
        @Nullable Slot<T> s = slots.get(n);
        if (s != null && s.owner() == t) {
          return s.value();
        }
        return claim(n, s, t);
      }
    }
    return local.get();
  }

  /**
   * Slot {@code n} is not this thread's: takes it if it is free or its owner has ended (first use, or a stopped
   * worker's thread), else this thread stays with the plain thread local.
   */
  private T claim(int n, @Nullable Slot<T> seen, Thread t) {
    T value = local.get();
    if (seen == null || !seen.owner().isAlive()) {
      slots.compareAndSet(n, seen, new Slot<>(t, value));
    }
    return value;
  }
}
