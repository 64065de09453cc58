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
  private final String name;
  /** Admission in front of the tier: size cap as a share of capacity (0 = none). */
  private final double capShare;
  /** AdaptSize-style: admit with probability exp(-size / (share * capacity)) (0 = always admit). */
  private final double expShare;
  /** Objects above this share of capacity are admitted only on a second request (0 = all admitted at once). */
  private final double secondHitShare;
  /** The last large objects requested: one requested again while it is still here is admitted. */
  private final java.util.LinkedHashMap<Long, Boolean> seen = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<Long, Boolean> eldest) {
      return size() > SEEN_KEYS;
    }
  };
  private static final int SEEN_KEYS = 20_000;
  private final long capacity;
  private final java.util.SplittableRandom random = new java.util.SplittableRandom(42);

  CachalotPolicy(long capacity) {
    this(capacity, "cachalot", 0, 0, 0);
  }

  private CachalotPolicy(long capacity, String name, double capShare, double expShare, double secondHitShare) {
    this.tier = CacheTiers.forSimulation(capacity);
    this.capacity = capacity;
    this.name = name;
    this.capShare = capShare;
    this.expShare = expShare;
    this.secondHitShare = secondHitShare;
  }

  /** {@code cachalot-cap:0.01} (no objects above 1% of capacity), {@code cachalot-exp:0.05} or {@code -2hit}. */
  static CachalotPolicy variant(String text, long capacity) {
    PolicySpec spec = PolicySpec.parse(text).atMost(1);
    double share = spec.number(0, "a share of capacity");
    return switch (spec.family()) {
      case "cachalot-cap" -> new CachalotPolicy(capacity, text, share, 0, 0);
      case "cachalot-exp" -> new CachalotPolicy(capacity, text, 0, share, 0);
      case "cachalot-2hit" -> new CachalotPolicy(capacity, text, 0, 0, share);
      default -> throw new IllegalArgumentException("unknown policy '" + text + "'");
    };
  }

  private boolean admit(long key, int size) {
    if (secondHitShare > 0 && size > secondHitShare * capacity && seen.put(key, Boolean.TRUE) == null) {
      return false; // first request of a large object: remember it, store it next time
    }
    if (capShare > 0 && size > capShare * capacity) {
      return false;
    }
    return expShare <= 0 || random.nextDouble() < Math.exp(-size / (expShare * capacity));
  }

  @Override
  public boolean access(int index, long key, int size) {
    CacheKey k = new CacheKey("sim", Long.toString(key));
    if (tier.lookup(k).join() != null) {
      return true;
    }
    if (admit(key, size)) {
      tier.store(k, new StoredResponse(200, HttpFields.EMPTY, new byte[size], FOREVER, Variance.NONE, 0));
    }
    return false;
  }

  @Override
  public String name() {
    return name;
  }
}
