package dev.cachalot.edge.metrics;

import dev.cachalot.config.OpsConfig;
import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.http.EdgeExchange;
import dev.cachalot.edge.http.RequestListener;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.TierStats;
import dev.cachalot.origin.OriginException;
import dev.cachalot.origin.OriginHealth;
import dev.cachalot.origin.OriginObserver;
import dev.cachalot.origin.OriginRouter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The metrics adapter: the only class that knows Micrometer. It counts finished requests ({@link RequestListener})
 * and origin attempts ({@link OriginObserver}) into plain counters, and exports those, the tiers, the coalescer,
 * the origins' protection and the JVM to Prometheus. Names follow Prometheus conventions (see docs/metrics.md).
 */
public final class EdgeMetrics implements RequestListener, OriginObserver {
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Duration[] ORIGIN_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TrafficCounters traffic;
  private final Map<String, OriginCounters> origins = new ConcurrentHashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  /** Micrometer holds gauge and function-counter state weakly: the suppliers built in bind() live here. */
  private final List<Object> keepAlive = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Per origin: attempts by outcome, body bytes, time to the response head. */
  public final class OriginCounters {
    final String origin;
    final Map<String, LongAdder> byOutcome = new ConcurrentHashMap<>();
    final LongAdder bytes = new LongAdder();
    final Timer headTime;

    OriginCounters(String origin) {
      this.origin = origin;
      FunctionCounter.builder("cachalot.origin.bytes", bytes, LongAdder::sum).baseUnit("bytes")
          .description("Body bytes read from the origin").tag("origin", origin).register(registry);
      this.headTime = Timer.builder("cachalot.origin.request.duration")
          .description("Time from sending a request to the origin to its response head, per attempt")
          .tag("origin", origin).serviceLevelObjectives(ORIGIN_BUCKETS).register(registry);
    }

    void outcome(String outcome) {
      byOutcome.computeIfAbsent(outcome, o -> {
        LongAdder a = new LongAdder();
        FunctionCounter.builder("cachalot.origin.requests", a, LongAdder::sum)
            .description("Attempts sent to the origin, by outcome (status class or failure kind)")
            .tags("origin", origin, "outcome", o).register(registry);
        return a;
      }).increment();
    }

    public long requests() {
      return byOutcome.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long bytes() {
      return bytes.sum();
    }

    public Map<String, Long> byOutcome() {
      Map<String, Long> m = new java.util.TreeMap<>();
      byOutcome.forEach((k, v) -> m.put(k, v.sum()));
      return m;
    }
  }

  public EdgeMetrics(OpsConfig ops) {
    // two of Micrometer's own meters break Prometheus naming rules (promtool check metrics): drop them
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
        || id.getName().equals("system.cpu.count")));
    this.traffic = new TrafficCounters(ops.maxHostLabels(), cell -> {
      String[] tags = {"host", cell.host(), "result", cell.result().label(), "tier", cell.tier().label()};
      FunctionCounter.builder("cachalot.requests", cell, TrafficCounters.Cell::requestCount)
          .description("Requests answered, by host, cache result and the tier that answered").tags(tags)
          .register(registry);
      FunctionCounter.builder("cachalot.served.bytes", cell, TrafficCounters.Cell::byteCount).baseUnit("bytes")
          .description("Response body bytes sent to clients, by host, cache result and tier").tags(tags)
          .register(registry);
    });
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** Slicing and streaming: slices fetched, served, waited for, fallbacks, origin bytes, partial fills, streams. */
  public void bindSlices(dev.cachalot.edge.fill.SliceStats s) {
    keepAlive.add(s);
    FunctionCounter.builder("cachalot.slices.fetched", s, x -> x.fetched())
        .description("Slices of large objects fetched from the origin (and stored)").register(registry);
    FunctionCounter.builder("cachalot.slices.served", s, x -> x.served())
        .description("Slices sent to clients, whole or in part").register(registry);
    FunctionCounter.builder("cachalot.slice.waits", s, x -> x.waits())
        .description("Requests that waited for another request's fetch of the same slice").register(registry);
    FunctionCounter.builder("cachalot.slice.fallbacks", s, x -> x.fallbacks())
        .description("Sliceable requests that went the whole-object way (small object, Range ignored, error)")
        .register(registry);
    FunctionCounter.builder("cachalot.slice.origin.bytes", s, x -> x.originBytes()).baseUnit("bytes")
        .description("Body bytes of slices read from origins (part of cachalot_origin_bytes_total)")
        .register(registry);
    FunctionCounter.builder("cachalot.slice.partial.fills", s, x -> x.partialFills())
        .description("Whole-object fills of large objects that broke off part way (the slices before stay stored)")
        .register(registry);
    FunctionCounter.builder("cachalot.streamed.responses", s, x -> x.streamed())
        .description("Responses sent while their body was still arriving from the origin").register(registry);
  }

  /** Exports the tiers, the coalescer and the origins' protection, read at scrape time. */
  public void bind(CacheTier cache, MissCoalescer coalescer, OriginRouter router) {
    for (TierStats.Snapshot s : cache.tierStats()) {
      String tier = s.tier();
      Supplier<TierStats.Snapshot> now = () -> cache.tierStats().stream().filter(t -> t.tier().equals(tier))
          .findFirst().orElse(s);
      keepAlive.add(now);
      gauge("cachalot.tier.objects", "Objects held", tier, now, TierStats.Snapshot::objects, null);
      gauge("cachalot.tier.bytes", "Bytes held", tier, now, TierStats.Snapshot::bytes, "bytes");
      gauge("cachalot.tier.capacity.bytes", "Capacity", tier, now, TierStats.Snapshot::capacityBytes, null);
      counter("cachalot.tier.hits", "Lookups answered by this tier", tier, now, TierStats.Snapshot::hits);
      counter("cachalot.tier.misses", "Lookups this tier could not answer", tier, now, TierStats.Snapshot::misses);
      counter("cachalot.tier.evictions", "Objects evicted to make room", tier, now, TierStats.Snapshot::evictions);
      counter("cachalot.tier.integrity.failures", "Stored objects dropped because their checksum failed", tier,
          now, TierStats.Snapshot::integrityFailures);
    }
    keepAlive.add(coalescer);
    FunctionCounter.builder("cachalot.coalesced.waits", coalescer, c -> c.stats().followers())
        .description("Requests that waited for another request's origin fetch instead of fetching")
        .register(registry);
    FunctionCounter.builder("cachalot.coalesce.timeouts", coalescer, c -> c.stats().timeouts())
        .description("Waits that gave up and fetched themselves").register(registry);
    for (OriginHealth h : router.health()) {
      String name = h.origin();
      Supplier<OriginHealth> now = () -> router.health().stream().filter(x -> x.origin().equals(name))
          .findFirst().orElse(h);
      keepAlive.add(now);
      for (String state : List.of("closed", "open", "half_open")) {
        Gauge.builder("cachalot.origin.breaker.state", now, n -> n.get().breaker().equals(state) ? 1 : 0)
            .description("1 for the origin's current circuit-breaker state").tags("origin", name, "state", state)
            .register(registry);
      }
      Gauge.builder("cachalot.origin.inflight", now, n -> n.get().inFlight())
          .description("Origin fetches holding a bulkhead slot").tag("origin", name).register(registry);
      Gauge.builder("cachalot.origin.queued", now, n -> n.get().queued())
          .description("Origin fetches waiting for a bulkhead slot").tag("origin", name).register(registry);
      FunctionCounter.builder("cachalot.origin.shed", now, n -> n.get().shed())
          .description("Fetches refused by the bulkhead or the open breaker").tag("origin", name)
          .register(registry);
      FunctionCounter.builder("cachalot.origin.retries", now, n -> n.get().retries())
          .description("Retries sent to the origin").tag("origin", name).register(registry);
      originCounters(name);
    }
  }

  /** The purge log this edge follows: applied sequence, the head last seen, lag, rules held. */
  public void bindPurge(java.util.function.LongSupplier applied, java.util.function.LongSupplier head,
      java.util.function.DoubleSupplier lagSeconds, java.util.function.LongSupplier rules) {
    keepAlive.add(applied);
    keepAlive.add(head);
    keepAlive.add(lagSeconds);
    keepAlive.add(rules);
    Gauge.builder("cachalot.purge.applied.sequence", applied, java.util.function.LongSupplier::getAsLong)
        .description("Last purge this edge applied").register(registry);
    Gauge.builder("cachalot.purge.lag.records", applied, a -> head.getAsLong() - a.getAsLong())
        .description("Purges in the log (as last seen) not applied yet").register(registry);
    Gauge.builder("cachalot.purge.lag.seconds", lagSeconds, java.util.function.DoubleSupplier::getAsDouble)
        .description("Seconds since this edge was last caught up with the purge log (0 when it is)")
        .register(registry);
    Gauge.builder("cachalot.purge.rules", rules, java.util.function.LongSupplier::getAsLong)
        .description("Purge rules held for lazy matching at lookup").register(registry);
  }

  private void gauge(String name, String help, String tier, Supplier<TierStats.Snapshot> now,
      ToDoubleFunction<TierStats.Snapshot> f, @Nullable String unit) {
    Gauge.Builder<Supplier<TierStats.Snapshot>> b = Gauge.builder(name, now, s -> f.applyAsDouble(s.get()))
        .description(help).tag("tier", tier);
    if (unit != null) {
      b.baseUnit(unit);
    }
    b.register(registry);
  }

  private void counter(String name, String help, String tier, Supplier<TierStats.Snapshot> now,
      ToDoubleFunction<TierStats.Snapshot> f) {
    FunctionCounter.builder(name, now, s -> f.applyAsDouble(s.get())).description(help).tag("tier", tier)
        .register(registry);
  }

  @Override
  public void requestDone(HttpServerExchange ex, @Nullable EdgeExchange ctx) {
    CacheResult result = CacheResult.of(ex, ctx);
    record(ctx, ex, result, TrafficCounters.Tier.of(result, ctx), ex.getResponseBytesSent());
  }

  /** Counts a finished request whose result, tier and body bytes are already known (see {@link #withAccessLog}). */
  private void record(@Nullable EdgeExchange ctx, HttpServerExchange ex, CacheResult result,
      TrafficCounters.Tier tier, long bytes) {
    String host = ctx != null ? ctx.host() : String.valueOf(ex.getRequestHeaders().getFirst("Host"));
    traffic.record(host, result, tier, bytes);
  }

  /** Metrics and the access log, with each request's result, tier and bytes worked out once for both. */
  public RequestListener withAccessLog(AccessLog log) {
    return new RequestListener() {
      @Override
      public void requestDone(HttpServerExchange ex, @Nullable EdgeExchange ctx) {
        CacheResult result = CacheResult.of(ex, ctx);
        TrafficCounters.Tier tier = TrafficCounters.Tier.of(result, ctx);
        long bytes = ex.getResponseBytesSent();
        record(ctx, ex, result, tier, bytes);
        log.record(ex, ctx, result, tier, bytes);
      }

      @Override
      public boolean timesRequests() {
        return true;
      }
    };
  }

  @Override
  public void onResponse(String origin, int status, long nanos) {
    OriginCounters c = originCounters(origin);
    c.outcome((status / 100) + "xx");
    c.headTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onFailure(String origin, OriginException.Kind kind, long nanos) {
    OriginCounters c = originCounters(origin);
    c.outcome(kind.name().toLowerCase(Locale.ROOT));
    c.headTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onBodyBytes(String origin, long bytes) {
    originCounters(origin).bytes.add(bytes);
  }

  private OriginCounters originCounters(String origin) {
    OriginCounters c = origins.get(origin);
    return c != null ? c : origins.computeIfAbsent(origin, OriginCounters::new);
  }

  public TrafficCounters traffic() {
    return traffic;
  }

  public Map<String, OriginCounters> origins() {
    return origins;
  }

  /** A scrape in the format the {@code Accept} field asks for: OpenMetrics, or the Prometheus text format. */
  public record Scrape(String contentType, String body) {}

  public Scrape scrape(@Nullable String accept) {
    boolean openMetrics = accept != null && accept.contains("application/openmetrics-text");
    String type = openMetrics ? OPENMETRICS : TEXT;
    return new Scrape(type, registry.scrape(type));
  }

  public void close() {
    gc.close();
    registry.close();
  }
}
