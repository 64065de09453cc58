package dev.cachalot.edge.admin;

import dev.cachalot.edge.metrics.CacheResult;
import dev.cachalot.edge.metrics.EdgeMetrics;
import dev.cachalot.edge.metrics.TrafficCounters;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Totals since start, summed over hosts: the same definitions as the Prometheus recording rules
 * (config/prometheus/cachalot-rules.yml), so the status page and Grafana agree.
 *
 * <ul>
 *   <li>request hit ratio: (hit + stale) / all requests;
 *   <li>byte hit ratio: body bytes of hit, stale and revalidated answers / all body bytes served;
 *   <li>origin offload: 1 - body bytes read from origins / body bytes served.
 * </ul>
 */
record TrafficTotals(long time, Map<CacheResult, Long> requests, Map<CacheResult, Long> bytes,
    Map<TrafficCounters.Tier, Long> requestsByTier, long originBytes) {

  static TrafficTotals of(EdgeMetrics metrics, long now) {
    Map<CacheResult, Long> requests = new EnumMap<>(CacheResult.class);
    Map<CacheResult, Long> bytes = new EnumMap<>(CacheResult.class);
    Map<TrafficCounters.Tier, Long> byTier = new EnumMap<>(TrafficCounters.Tier.class);
    for (CacheResult r : CacheResult.values()) {
      requests.put(r, 0L);
      bytes.put(r, 0L);
    }
    for (TrafficCounters.Tier t : TrafficCounters.Tier.values()) {
      byTier.put(t, 0L);
    }
    for (TrafficCounters.Cell c : metrics.traffic().cells()) {
      long n = c.requestCount();
      requests.merge(c.result(), n, Long::sum);
      bytes.merge(c.result(), c.byteCount(), Long::sum);
      byTier.merge(c.tier(), n, Long::sum);
    }
    long origin = metrics.origins().values().stream().mapToLong(EdgeMetrics.OriginCounters::bytes).sum();
    return new TrafficTotals(now, requests, bytes, byTier, origin);
  }

  long totalRequests() {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }

  long totalBytes() {
    return bytes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The three ratios over the interval since {@code before} (or since start when null). */
  Ratios since(TrafficTotals before) {
    long req = totalRequests() - before.totalRequests();
    long hitReq = hits(requests) - hits(before.requests);
    long served = totalBytes() - before.totalBytes();
    long hitBytes = fromCache(bytes) - fromCache(before.bytes);
    long origin = originBytes - before.originBytes;
    double seconds = Math.max(0.001, (time - before.time) / 1000.0);
    Double offload = served == 0 ? null : 1.0 - (double) origin / served;
    return new Ratios(ratio(hitReq, req), ratio(hitBytes, served), offload, req / seconds);
  }

  static TrafficTotals zero() {
    Map<CacheResult, Long> none = new EnumMap<>(CacheResult.class);
    for (CacheResult r : CacheResult.values()) {
      none.put(r, 0L);
    }
    return new TrafficTotals(0, none, none, new EnumMap<>(TrafficCounters.Tier.class), 0);
  }

  private static long hits(Map<CacheResult, Long> m) {
    return m.getOrDefault(CacheResult.HIT, 0L) + m.getOrDefault(CacheResult.STALE, 0L);
  }

  private static long fromCache(Map<CacheResult, Long> m) {
    return hits(m) + m.getOrDefault(CacheResult.REVALIDATED, 0L);
  }

  private static @Nullable Double ratio(long part, long whole) {
    return whole == 0 ? null : (double) part / whole;
  }

  /** Null where there was no traffic to divide by. */
  record Ratios(@Nullable Double requestHitRatio, @Nullable Double byteHitRatio, @Nullable Double originOffload,
      double requestsPerSecond) {}
}
