package dev.cachalot.edge.http;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.edge.fill.Filler;
import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.fill.UncacheablePredictor;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.origin.OriginClient;
import java.util.function.LongSupplier;

/** What the handlers share: the cache, the origin, the fill machinery, the clock. Built once by the pipeline. */
public final class EdgeContext {
  final CacheTier cache;
  final OriginClient origin;
  final MissCoalescer coalescer;
  final UncacheablePredictor predictor;
  final Filler filler;
  final ResponseWriter writer;
  final LongSupplier clock;
  final long graceMillis;
  final String name;
  final long maxRequestBody;

  public EdgeContext(EdgeConfig config, CacheTier cache, OriginClient origin, LongSupplier clock) {
    this.cache = cache;
    this.origin = origin;
    this.clock = clock;
    this.name = config.server().name();
    this.coalescer = new MissCoalescer(config.cache().coalesceTimeout());
    this.predictor = new UncacheablePredictor(config.cache().hitForMissTtl());
    StoragePolicy storage = new StoragePolicy(config.cache().heuristicMaxTtl().toMillis(),
        config.cache().setCookieHosts());
    this.filler = new Filler(origin, cache, storage, predictor, clock, config.cache().maxObjectSize());
    this.writer = new ResponseWriter(name, clock);
    this.graceMillis = config.cache().staleIfErrorGrace().toMillis();
    this.maxRequestBody = config.server().maxRequestBodySize();
  }

  public MissCoalescer coalescer() {
    return coalescer;
  }

  public UncacheablePredictor predictor() {
    return predictor;
  }

  public CacheTier cache() {
    return cache;
  }
}
