package dev.cachalot.origin;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Caps concurrent fetches to one origin. Past the cap a fetch waits in a bounded queue; when the queue is full, or
 * the wait runs out, it fails at once with {@link OriginException.Kind#OVERLOADED}. Nothing blocks a thread.
 */
final class Bulkhead {
  private final int maxConcurrent;
  private final int maxQueued;
  private final long queueTimeoutMillis;
  private final ScheduledExecutorService timer;
  private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private int inFlight;
  private long rejected;

  Bulkhead(int maxConcurrent, int maxQueued, long queueTimeoutMillis, ScheduledExecutorService timer) {
    this.maxConcurrent = maxConcurrent;
    this.maxQueued = maxQueued;
    this.queueTimeoutMillis = queueTimeoutMillis;
    this.timer = timer;
  }

  /** Completes when a slot is held; the holder must call {@link #release()} exactly once. */
  CompletableFuture<Void> acquire() {
    CompletableFuture<Void> slot = new CompletableFuture<>();
    synchronized (this) {
      if (inFlight < maxConcurrent) {
        inFlight++;
        slot.complete(null);
        return slot;
      }
      if (waiting.size() >= maxQueued) {
        rejected++;
        slot.completeExceptionally(new OriginException(OriginException.Kind.OVERLOADED, false,
            "origin bulkhead full: " + maxConcurrent + " fetches in flight and " + maxQueued + " queued"));
        return slot;
      }
      waiting.add(slot);
    }
    timer.schedule(() -> {
      synchronized (this) {
        if (!waiting.remove(slot)) {
          return; // already granted
        }
        rejected++;
      }
      slot.completeExceptionally(new OriginException(OriginException.Kind.OVERLOADED, false,
          "no origin fetch slot within " + queueTimeoutMillis + " ms (" + maxConcurrent + " in flight)"));
    }, queueTimeoutMillis, TimeUnit.MILLISECONDS);
    return slot;
  }

  void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
        return;
      }
    }
    // the slot passes straight to the next waiter; inFlight is unchanged
    if (!next.complete(null)) {
      release();
    }
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int queued() {
    return waiting.size();
  }

  synchronized long rejected() {
    return rejected;
  }
}
