package dev.cachalot.edge.tier;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.MappedTierConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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

  /**
   * The memory tier as the hit-ratio simulator drives it: the same Caffeine policy, weighed by body bytes only,
   * with maintenance on the calling thread so that runs repeat exactly.
   */
  public static CacheTier forSimulation(long capacityBytes) {
    return new CaffeineTier(capacityBytes, true);
  }

  /**
   * The mapped tier as the hit-ratio simulator drives it; {@code frequencyAware} false recycles segments as plain
   * FIFO, to show what the second chance is worth.
   */
  public static CacheTier mappedForSimulation(MappedTierConfig config, boolean frequencyAware) {
    ChronicleTier tier = ChronicleTier.open(config, new FrequencySketch(config.maxEntries()),
        readPool(config.readThreads()), true);
    return frequencyAware ? tier : tier.withoutSecondChance();
  }

  /** The mapped tier alone (tests and benchmarks); lookups run on a pool of its own, closed with the tier. */
  public static CacheTier mapped(MappedTierConfig config) {
    return ChronicleTier.open(config, new FrequencySketch(config.maxEntries()), readPool(config.readThreads()),
        true);
  }

  /**
   * Memory in front of a persisted mapped tier (write-through, promotion on mapped hits). Opening may take a
   * while after an unclean stop; a problem with the files is a {@link TierOpenException}.
   */
  public static CacheTier tiered(CacheConfig memory, MappedTierConfig mapped) {
    ExecutorService reads = readPool(mapped.readThreads());
    FrequencySketch sketch = new FrequencySketch(mapped.maxEntries());
    ChronicleTier lower = ChronicleTier.open(mapped, sketch, reads, false);
    return new TieredCache(new CaffeineTier(memory.memorySize()), lower, sketch, reads);
  }

  /** Mapped reads may page-fault (disk I/O): a pool of their own, {@code tiers.mapped.readThreads} strong. */
  private static ExecutorService readPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "mapped-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
