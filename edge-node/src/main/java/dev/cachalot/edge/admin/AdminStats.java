package dev.cachalot.edge.admin;

import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.metrics.CacheResult;
import dev.cachalot.edge.metrics.EdgeMetrics;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.TierStats;
import dev.cachalot.origin.OriginHealth;
import dev.cachalot.origin.OriginRouter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /admin/stats}: the numbers behind the metrics, as one JSON document for scripts and the status page. */
final class AdminStats {
  private final EdgeMetrics metrics;
  private final StatsHistory history;
  private final CacheTier cache;
  private final MissCoalescer coalescer;
  private final OriginRouter origins;
  private final java.util.function.Supplier<? extends Object> purge;

  AdminStats(EdgeMetrics metrics, StatsHistory history, CacheTier cache, MissCoalescer coalescer,
      OriginRouter origins, java.util.function.Supplier<? extends Object> purge) {
    this.purge = purge;
    this.metrics = metrics;
    this.history = history;
    this.cache = cache;
    this.coalescer = coalescer;
    this.origins = origins;
  }

  Map<String, Object> build() {
    TrafficTotals now = TrafficTotals.of(metrics, System.currentTimeMillis());
    TrafficTotals.Ratios lifetime = now.since(TrafficTotals.zero());
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> requests = new LinkedHashMap<>();
    requests.put("total", now.totalRequests());
    requests.put("byResult", labelled(now.requests()));
    Map<String, Long> byTier = new LinkedHashMap<>();
    now.requestsByTier().forEach((t, n) -> byTier.put(t.label(), n));
    requests.put("byTier", byTier);
    out.put("requests", requests);
    Map<String, Object> bytes = new LinkedHashMap<>();
    bytes.put("served", now.totalBytes());
    bytes.put("byResult", labelled(now.bytes()));
    bytes.put("fromOrigins", now.originBytes());
    out.put("bytes", bytes);
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("requestHitRatio", lifetime.requestHitRatio());
    ratios.put("byteHitRatio", lifetime.byteHitRatio());
    ratios.put("originOffload", lifetime.originOffload());
    out.put("ratios", ratios);
    out.put("tiers", tiers());
    out.put("origins", origins());
    MissCoalescer.Stats c = coalescer.stats();
    out.put("coalescing", Map.of("leaders", c.leaders(), "waits", c.followers(), "timeouts", c.timeouts()));
    List<Map<String, Object>> points = new ArrayList<>();
    for (StatsHistory.Point p : history.points()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", p.time());
      m.put("requestHitRatio", p.ratios().requestHitRatio());
      m.put("byteHitRatio", p.ratios().byteHitRatio());
      m.put("originOffload", p.ratios().originOffload());
      m.put("requestsPerSecond", p.ratios().requestsPerSecond());
      points.add(m);
    }
    out.put("history", points);
    out.put("purge", purge.get());
    return out;
  }

  private static Map<String, Long> labelled(Map<CacheResult, Long> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.forEach((r, n) -> out.put(r.label(), n));
    return out;
  }

  private List<Map<String, Object>> tiers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TierStats.Snapshot s : cache.tierStats()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tier", s.tier());
      m.put("objects", s.objects());
      m.put("bytes", s.bytes());
      m.put("capacityBytes", s.capacityBytes());
      m.put("fill", s.capacityBytes() == 0 ? 0.0 : (double) s.bytes() / s.capacityBytes());
      m.put("hits", s.hits());
      m.put("misses", s.misses());
      m.put("evictions", s.evictions());
      m.put("integrityFailures", s.integrityFailures());
      out.add(m);
    }
    return out;
  }

  private List<Map<String, Object>> origins() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (OriginHealth h : origins.health()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("origin", h.origin());
      m.put("breaker", h.breaker());
      m.put("inFlight", h.inFlight());
      m.put("queued", h.queued());
      m.put("shed", h.shed());
      m.put("retries", h.retries());
      EdgeMetrics.OriginCounters c = metrics.origins().get(h.origin());
      m.put("requests", c == null ? Map.of() : c.byOutcome());
      m.put("bytes", c == null ? 0 : c.bytes());
      out.add(m);
    }
    return out;
  }

}
