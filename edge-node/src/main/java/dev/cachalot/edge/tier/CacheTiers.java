package dev.cachalot.edge.tier;

import dev.cachalot.config.CacheConfig;

/** Builds tiers from configuration. */
public final class CacheTiers {
  private CacheTiers() {}

  /** The memory tier, bounded by {@link CacheConfig#memorySize()} bytes. */
  public static CacheTier memory(CacheConfig config) {
    return new CaffeineTier(config.memorySize());
  }

  public static CacheTier memory(long capacityBytes) {
    return new CaffeineTier(capacityBytes);
  }
}
