package dev.cachalot.config;

import java.time.Duration;

/**
 * How the edge protects itself and the origin when the origin is slow or failing.
 *
 * @param maxAttempts tries per idempotent fetch, the first included (1 = no retries)
 * @param retryBaseDelay backoff before the first retry; doubles per retry, with full jitter
 * @param retryMaxDelay cap on one backoff
 * @param retryBudgetPercent retries allowed per 100 fetches (plus a small reserve), so retries cannot multiply an
 *     outage
 * @param breakerFailures consecutive failures that open the circuit (0 = no breaker)
 * @param breakerCoolDown how long an open circuit fails fast before letting one probe through
 * @param maxConcurrent origin fetches in flight at most (the bulkhead)
 * @param maxQueued fetches waiting for a slot at most; more fail at once with 503
 * @param queueTimeout longest wait for a slot before failing with 503
 */
public record ResilienceConfig(
    int maxAttempts,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    int retryBudgetPercent,
    int breakerFailures,
    Duration breakerCoolDown,
    int maxConcurrent,
    int maxQueued,
    Duration queueTimeout) {

  public ResilienceConfig {
    if (maxAttempts < 1 || retryBudgetPercent < 0 || breakerFailures < 0 || maxConcurrent < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("out of range: " + maxAttempts + "/" + retryBudgetPercent + "/"
          + breakerFailures + "/" + maxConcurrent + "/" + maxQueued);
    }
  }

  public static ResilienceConfig defaults() {
    return new ResilienceConfig(3, Duration.ofMillis(50), Duration.ofSeconds(1), 10, 5, Duration.ofSeconds(5), 256,
        1024, Duration.ofSeconds(2));
  }

  public ResilienceConfig withRetries(int attempts, int budgetPercent) {
    return new ResilienceConfig(attempts, retryBaseDelay, retryMaxDelay, budgetPercent, breakerFailures,
        breakerCoolDown, maxConcurrent, maxQueued, queueTimeout);
  }

  public ResilienceConfig withBreaker(int failures, Duration coolDown) {
    return new ResilienceConfig(maxAttempts, retryBaseDelay, retryMaxDelay, retryBudgetPercent, failures, coolDown,
        maxConcurrent, maxQueued, queueTimeout);
  }

  public ResilienceConfig withBulkhead(int concurrent, int queued, Duration timeout) {
    return new ResilienceConfig(maxAttempts, retryBaseDelay, retryMaxDelay, retryBudgetPercent, breakerFailures,
        breakerCoolDown, concurrent, queued, timeout);
  }
}
