package dev.cachalot.edge.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter for the hit path: each of the first {@link #SLOTS} threads that count adds to a slot of its own with a
 * plain store (no atomic instruction; slots are a cache line apart), and {@link #sum} reads them all. Threads past
 * that (a pool that grew) share a {@link LongAdder}. On one busy core, a LongAdder's CAS was most of what metrics
 * cost a hit.
 */
public final class Counter {
  static final int SLOTS = 32;
  private static final int STRIDE = 8; // longs per slot: one 64-byte line
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final AtomicInteger NEXT_SLOT = new AtomicInteger();
  private static final ThreadLocal<Integer> SLOT = ThreadLocal.withInitial(NEXT_SLOT::getAndIncrement);

  private final long[] slots = new long[SLOTS * STRIDE];
  private final LongAdder overflow = new LongAdder();

  /** The calling thread's slot, looked up once for all the counters a request adds to. */
  static int slot() {
    return SLOT.get();
  }

  /** Adds {@code n} from the thread whose {@link #slot()} is {@code slot}. */
  void add(int slot, long n) {
    if (slot < SLOTS) {
      int i = slot * STRIDE;
      // only this thread writes this slot: read-modify-write needs no atomicity, only eventual visibility
      LONGS.setOpaque(slots, i, (long) LONGS.getOpaque(slots, i) + n);
    } else {
      overflow.add(n);
    }
  }

  public long sum() {
    long s = overflow.sum();
    for (int i = 0; i < slots.length; i += STRIDE) {
      s += (long) LONGS.getOpaque(slots, i);
    }
    return s;
  }
}
