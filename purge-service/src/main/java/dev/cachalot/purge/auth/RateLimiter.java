package dev.cachalot.purge.auth;

/** A token bucket: {@code rate} permits a second, up to {@code burst} saved. */
final class RateLimiter {
  private final double rate;
  private final double burst;
  private double available;
  private long last = System.nanoTime();

  RateLimiter(double rate, int burst) {
    this.rate = rate;
    this.burst = Math.max(1, burst);
    this.available = this.burst;
  }

  /** 0 when a permit was taken; else the whole seconds until one will be available. */
  synchronized long tryAcquire() {
    long now = System.nanoTime();
    available = Math.min(burst, available + (now - last) / 1e9 * rate);
    last = now;
    if (available >= 1) {
      available -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - available) / rate));
  }
}
