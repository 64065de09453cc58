package dev.cachalot.bench.hitrate;

import com.github.benmanes.caffeine.cache.Caffeine;

/** The raw Caffeine the prototypes build on: weighed by object size, maintained on the calling thread. */
final class SimulatedCaffeine {
  private SimulatedCaffeine() {}

  static Caffeine<Long, Integer> bySize(long capacity) {
    return Caffeine.newBuilder().executor(Runnable::run).maximumWeight(capacity).weigher((Long k, Integer v) -> v);
  }
}
