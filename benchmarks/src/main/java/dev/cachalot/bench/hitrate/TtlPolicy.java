package dev.cachalot.bench.hitrate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.HashMap;

/**
 * Prototype: Caffeine's W-TinyLFU plus an idle lifetime shaped like GDSF's priority, K x hits / size^(1 - B), on a
 * clock that ticks once per request. K grows while the cache has room and shrinks while Caffeine still has to
 * evict for space, so expiry, not W-TinyLFU, picks most victims. Spec {@code ttl:B[:K[:EVERY[:STEP]]]}.
 */
final class TtlPolicy implements Policy {
  private static final long TICK = 1_000_000_000L; // one request = 1 s of Caffeine time
  private final Cache<Long, Integer> cache;
  private final long capacity;
  private final double exponent;
  /** Requests per key over the whole run (a sketch would age them; the trace is short). */
  private final HashMap<Long, Integer> hits = new HashMap<>();
  private final String name;
  private long now;
  private double k;
  private long sizeEvictions;
  private final double step;
  private final int every;

  TtlPolicy(long capacity, PolicySpec spec) {
    spec.atMost(4);
    this.exponent = 1 - spec.number(0, "B, the weight of bytes (0 to 1)");
    this.capacity = capacity;
    this.name = spec.text();
    this.k = spec.number(1, "K, the first lifetime in requests", 1000);
    this.every = Math.max(1, (int) spec.number(2, "requests between adjustments of K", 100));
    this.step = spec.number(3, "the factor K moves by", 1.1);
    this.cache = SimulatedCaffeine.bySize(capacity).ticker(() -> now * TICK)
        .expireAfter(new Expiry<Long, Integer>() {
          @Override
          public long expireAfterCreate(Long key, Integer size, long currentTime) {
            return life(key, size);
          }

          @Override
          public long expireAfterUpdate(Long key, Integer size, long currentTime, long currentDuration) {
            return life(key, size);
          }

          @Override
          public long expireAfterRead(Long key, Integer size, long currentTime, long currentDuration) {
            return life(key, size);
          }
        })
        .evictionListener((Long key, Integer v, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE) {
            sizeEvictions++;
          }
        })
        .build();
  }

  /** K requests for a 1 KiB object requested once. */
  private long life(long key, int size) {
    double h = hits.getOrDefault(key, 1);
    return (long) Math.min(Long.MAX_VALUE / 4, k * h / Math.pow(size, exponent) * TICK * Math.pow(1024, exponent));
  }

  @Override
  public boolean access(int index, long key, int size) {
    now++;
    hits.merge(key, 1, Integer::sum);
    if (now % every == 0) {
      adapt();
    }
    if (cache.getIfPresent(key) != null) {
      return true;
    }
    if (size <= capacity) {
      cache.put(key, size);
    }
    return false;
  }

  private void adapt() {
    long used = cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    if (sizeEvictions > 0) {
      k /= step;
    } else if (used < 0.97 * capacity) {
      k *= step;
    }
    sizeEvictions = 0;
  }

  @Override
  public String name() {
    return name;
  }
}
