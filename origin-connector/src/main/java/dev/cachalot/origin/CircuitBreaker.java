package dev.cachalot.origin;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Consecutive-failure breaker. Closed: everything passes. After {@code threshold} failures in a row it opens and
 * fails fast for {@code coolDown}; then it half-opens and lets exactly one probe through, whose outcome closes or
 * re-opens it. A threshold of 0 disables it.
 */
final class CircuitBreaker {
  enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final long coolDownNanos;
  private final LongSupplier nanoTime;
  private final AtomicInteger failures = new AtomicInteger();
  private State state = State.CLOSED;
  private long openedAt;
  private boolean probing;
  private long opens;

  CircuitBreaker(int threshold, long coolDownNanos, LongSupplier nanoTime) {
    this.threshold = threshold;
    this.coolDownNanos = coolDownNanos;
    this.nanoTime = nanoTime;
  }

  /** True when a request may go to the origin now; the caller must then report its outcome. */
  synchronized boolean tryAcquire() {
    if (threshold == 0 || state == State.CLOSED) {
      return true;
    }
    if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= coolDownNanos) {
      state = State.HALF_OPEN;
      probing = false;
    }
    if (state == State.HALF_OPEN && !probing) {
      probing = true;
      return true;
    }
    return false;
  }

  synchronized void onSuccess() {
    failures.set(0);
    state = State.CLOSED;
    probing = false;
  }

  synchronized void onFailure() {
    if (threshold == 0) {
      return;
    }
    if (state == State.HALF_OPEN || failures.incrementAndGet() >= threshold) {
      if (state != State.OPEN) {
        opens++;
      }
      state = State.OPEN;
      openedAt = nanoTime.getAsLong();
      probing = false;
      failures.set(0);
    }
  }

  /** A request that was allowed but never sent (e.g. shed by the bulkhead): frees the probe slot. */
  synchronized void onAbandoned() {
    probing = false;
  }

  synchronized State state() {
    if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= coolDownNanos) {
      return State.HALF_OPEN;
    }
    return state;
  }

  synchronized long opens() {
    return opens;
  }
}
