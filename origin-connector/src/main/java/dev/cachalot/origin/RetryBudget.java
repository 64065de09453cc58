package dev.cachalot.origin;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that lets retries be at most {@code percent}% of first attempts, plus a small reserve: each first
 * attempt deposits {@code percent}/100 of a token, each retry withdraws one. During an outage every request fails,
 * so the origin sees at most (1 + percent/100) times the traffic, never {@code maxAttempts} times.
 */
final class RetryBudget {
  private static final long ONE = 1000;
  private final long deposit;
  private final long cap;
  private final AtomicLong milliTokens;

  RetryBudget(int percent, int reserve) {
    this.deposit = percent * ONE / 100;
    this.cap = Math.max(reserve, 1) * ONE;
    this.milliTokens = new AtomicLong(reserve * ONE);
  }

  void onFirstAttempt() {
    milliTokens.getAndUpdate(t -> Math.min(cap, t + deposit));
  }

  boolean tryWithdraw() {
    while (true) {
      long t = milliTokens.get();
      if (t < ONE) {
        return false;
      }
      if (milliTokens.compareAndSet(t, t - ONE)) {
        return true;
      }
    }
  }
}
