package dev.cachalot.edge.fill;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachalot.edge.key.CacheKey;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers keys whose last response could not be shared (Varnish's hit-for-miss), so that requests for them go
 * to the origin side by side instead of queueing behind each other's fetch. A later storable response clears it.
 */
public final class UncacheablePredictor {
  private final Cache<CacheKey, Boolean> keys;
  private final boolean enabled;
  private final LongAdder bypasses = new LongAdder();

  public UncacheablePredictor(Duration ttl) {
    this.enabled = !ttl.isZero();
    this.keys = Caffeine.newBuilder().expireAfterWrite(enabled ? ttl : Duration.ofMillis(1))
        .maximumSize(100_000).build();
  }

  public void remember(CacheKey key) {
    if (enabled) {
      keys.put(key, Boolean.TRUE);
    }
  }

  public void forget(CacheKey key) {
    keys.invalidate(key);
  }

  /** True (and counted) when requests for {@code key} should skip coalescing. */
  public boolean bypass(CacheKey key) {
    boolean hit = keys.getIfPresent(key) != null;
    if (hit) {
      bypasses.increment();
    }
    return hit;
  }

  public long bypasses() {
    return bypasses.sum();
  }
}
