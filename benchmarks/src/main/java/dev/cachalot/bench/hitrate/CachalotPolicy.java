package dev.cachalot.bench.hitrate;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.CacheTiers;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;

/**
 * Cachalot's memory tier itself (Caffeine, W-TinyLFU), driven through the {@link CacheTier} API the edge uses:
 * a lookup per request, a store on a miss. Weighed by body bytes with same-thread maintenance, so capacities
 * mean what the trace's sizes mean and runs are repeatable.
 */
final class CachalotPolicy implements Policy {
  private static final Freshness FOREVER = new Freshness(Long.MAX_VALUE / 4, 0, 0, -1, -1, 0);
  private final CacheTier tier;

  CachalotPolicy(long capacity) {
    this.tier = CacheTiers.forSimulation(capacity);
  }

  @Override
  public boolean access(int index, long key, int size) {
    CacheKey k = new CacheKey("sim", Long.toString(key));
    if (tier.lookup(k).join() != null) {
      return true;
    }
    tier.store(k, new StoredResponse(200, HttpFields.EMPTY, new byte[size], FOREVER, Variance.NONE, 0));
    return false;
  }

  @Override
  public String name() {
    return "cachalot";
  }
}
