package dev.cachalot.purge;

import dev.cachalot.purge.api.EdgeRegistry;
import dev.cachalot.purge.api.PurgeCounters;
import dev.cachalot.purge.log.PurgeLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The purge service's metrics adapter (the only Micrometer user here): purges accepted and rejected, the log's
 * head, and each edge's applied sequence and lag (edges appear as they first report).
 */
final class PurgeMetrics {
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

  record Scrape(String contentType, String body) {}

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PurgeLog log;
  private final EdgeRegistry edges;
  private final Set<String> registeredEdges = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> applied = new ConcurrentHashMap<>();

  PurgeMetrics(PurgeLog log, EdgeRegistry edges, PurgeCounters counters) {
    this.log = log;
    this.edges = edges;
    FunctionCounter.builder("cachalot.purge.accepted", counters.acceptedCounter(), LongAdder::sum)
        .description("Purges durably recorded and answered 202").register(registry);
    for (String reason : List.of("unauthorized", "forbidden", "bad_request", "rate_limited", "log_error")) {
      FunctionCounter.builder("cachalot.purge.rejected", counters.rejectedCounter(reason), LongAdder::sum)
          .description("Purges refused, by reason").tag("reason", reason).register(registry);
    }
    Gauge.builder("cachalot.purge.log.head.sequence", log, PurgeLog::head)
        .description("Sequence number of the last purge in the log").strongReference(true).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
  }

  Scrape scrape(@Nullable String accept) {
    edges.applied().forEach((edge, seq) -> {
      applied.put(edge, seq);
      if (registeredEdges.add(edge)) {
        Gauge.builder("cachalot.purge.edge.applied.sequence", applied, m -> m.getOrDefault(edge, 0L))
            .description("Last purge each edge reported applying").tag("edge", edge).strongReference(true)
            .register(registry);
        Gauge.builder("cachalot.purge.edge.lag.records", applied, m -> log.head() - m.getOrDefault(edge, 0L))
            .description("Purges in the log that each edge has not applied yet").tag("edge", edge)
            .strongReference(true).register(registry);
      }
    });
    boolean om = accept != null && accept.contains("application/openmetrics-text");
    String type = om ? OPENMETRICS : TEXT;
    return new Scrape(type, registry.scrape(type));
  }

  void close() {
    registry.close();
  }
}
