package dev.cachalot.edge;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.config.PurgeFollowConfig;
import dev.cachalot.edge.admin.AdminHandler;
import dev.cachalot.edge.admin.StatsHistory;
import dev.cachalot.edge.http.RequestListener;
import dev.cachalot.edge.metrics.AccessLog;
import dev.cachalot.edge.metrics.EdgeMetrics;
import dev.cachalot.edge.purge.PurgeFollower;
import dev.cachalot.edge.purge.PurgeForwarder;
import dev.cachalot.edge.purge.PurgeRules;
import dev.cachalot.edge.http.EdgeContext;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.CacheTiers;
import dev.cachalot.edge.tier.TierOpenException;
import dev.cachalot.origin.OriginClients;
import dev.cachalot.origin.OriginObserver;
import dev.cachalot.origin.OriginRouter;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/** A running edge: the client listener, the admin listener, the tiers and the origin clients. */
public final class EdgeNode implements AutoCloseable {
  private final EdgeConfig config;
  private final Undertow server;
  private final Undertow admin;
  private final CacheTier cache;
  private final OriginRouter origin;
  private final EdgeContext context;
  private final AtomicBoolean ready;
  private final @Nullable EdgeMetrics metrics;
  private final @Nullable AccessLog accessLog;
  private final @Nullable StatsHistory history;
  private final PurgeRules purges;
  private final @Nullable PurgeForwarder purgeForwarder;
  private @Nullable PurgeFollower purgeFollower;

  private EdgeNode(EdgeConfig config, CacheTier cache, LongSupplier clock, Undertow admin, AtomicBoolean ready,
      AtomicReference<HttpHandler> adminHandler) {
    this.config = config;
    this.ready = ready;
    this.cache = cache;
    this.admin = admin;
    // the log first: a file it cannot open stops the start before anything else is set up
    this.accessLog = config.ops().accessLogOn() ? new AccessLog(config.ops().accessLog()) : null;
    this.metrics = config.ops().metrics() ? new EdgeMetrics(config.ops()) : null;
    this.origin = OriginClients.router(config.origins(), metrics == null ? OriginObserver.NONE : metrics);
    RequestListener listener = metrics == null ? accessLog
        : accessLog == null ? metrics : metrics.withAccessLog(accessLog);
    this.purges = new PurgeRules();
    java.net.URI purgeService = config.purge() == null ? null : config.purge().service();
    this.purgeForwarder = purgeService == null ? null : new PurgeForwarder(purgeService);
    this.context = new EdgeContext(config, cache, origin, clock, listener, purges, purgeForwarder);
    if (metrics != null) {
      metrics.bind(cache, context.coalescer(), origin);
      metrics.bindSlices(context.sliceStats());
      this.history = new StatsHistory(metrics, 5_000, 120);
      adminHandler.set(new AdminHandler(ready::get, metrics,
          AdminHandler.stats(metrics, history, cache, context.coalescer(), origin, this::purgeStatus), config));
    } else {
      this.history = null;
      adminHandler.set(new AdminHandler(ready::get, null, null, config));
    }
    HostPort l = config.listen();
    this.server = Undertow.builder()
        .addHttpListener(l.port(), l.host())
        .setIoThreads(config.server().ioThreads())
        .setWorkerThreads(Math.max(2, config.server().ioThreads()))
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, config.server().maxRequestBodySize())
        .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
        .setHandler(EdgePipeline.build(context))
        .build();
  }

  /** Starts an edge with the wall clock. */
  public static EdgeNode start(EdgeConfig config) {
    return start(config, System::currentTimeMillis);
  }

  /**
   * Starts an edge; {@code clock} gives milliseconds since the epoch (tests pass a manual clock). The admin
   * listener comes up first and answers 503 on {@code /readyz} until the tiers are open and the client listener
   * is accepting.
   */
  public static EdgeNode start(EdgeConfig config, LongSupplier clock) {
    return start(config, clock, java.util.function.UnaryOperator.identity());
  }

  /** For tests: {@code tiers} wraps the tiers the edge serves from. */
  static EdgeNode start(EdgeConfig config, LongSupplier clock,
      java.util.function.UnaryOperator<CacheTier> tiers) {
    AtomicBoolean ready = new AtomicBoolean();
    HostPort a = config.admin();
    // health checks answer while the tiers open; the full admin handler replaces this one once they are
    AtomicReference<HttpHandler> adminHandler = new AtomicReference<>(new AdminHandler(ready::get));
    Undertow admin = Undertow.builder()
        .addHttpListener(a.port(), a.host())
        .setIoThreads(1)
        .setWorkerThreads(1)
        .setHandler(ex -> {
          HttpHandler h = adminHandler.get();
          if (h != null) {
            h.handleRequest(ex);
          }
        })
        .build();
    startListener(admin, "admin.listen", a);
    CacheTier cache;
    try {
      cache = tiers.apply(config.mapped() == null ? CacheTiers.memory(config.cache())
          : CacheTiers.tiered(config.cache(), config.mapped()));
    } catch (TierOpenException e) {
      admin.stop();
      throw new EdgeStartException(String.valueOf(e.getMessage()), e);
    }
    EdgeNode node;
    try {
      node = new EdgeNode(config, cache, clock, admin, ready, adminHandler);
    } catch (java.io.UncheckedIOException e) { // the access log's file
      admin.stop();
      cache.close();
      throw new EdgeStartException(String.valueOf(e.getMessage()), e);
    }
    try {
      node.followPurges(clock);
      startListener(node.server, "listen", config.listen());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    ready.set(true);
    return node;
  }

  /** Catches up with the purge log before the client listener opens (see PurgeFollower). */
  private void followPurges(LongSupplier clock) {
    PurgeFollowConfig p = config.purge();
    if (p == null) {
      return;
    }
    MappedTierConfig mapped = config.mapped();
    try {
      purgeFollower = PurgeFollower.start(p, purges, cache, mapped == null ? null : mapped.dir().resolve("purge"),
          clock);
    } catch (IOException e) {
      throw new EdgeStartException("cannot open the purge journal: " + e.getMessage(), e);
    }
    if (metrics != null) {
      PurgeFollower f = purgeFollower;
      metrics.bindPurge(f::applied, f::head, f::lagSeconds, purges::size);
    }
  }

  private java.util.Map<String, @Nullable Object> purgeStatus() {
    java.util.Map<String, @Nullable Object> m = new java.util.LinkedHashMap<>();
    PurgeFollower f = purgeFollower;
    PurgeFollowConfig pc = config.purge();
    m.put("service", pc == null ? null : String.valueOf(pc.natsUrl() != null ? pc.natsUrl() : pc.service()));
    m.put("appliedSeq", f == null ? null : f.applied());
    m.put("head", f == null ? null : f.head());
    m.put("lag", f == null ? null : f.head() - f.applied());
    m.put("lagSeconds", f == null ? null : f.lagSeconds());
    m.put("reachable", f == null ? null : f.reachable());
    m.put("rules", purges.size());
    return m;
  }

  /** The purge rules checked at lookup. */
  public PurgeRules purges() {
    return purges;
  }

  public @Nullable PurgeFollower purgeFollower() {
    return purgeFollower;
  }

  private static void startListener(Undertow undertow, String what, HostPort at) {
    try {
      undertow.start();
    } catch (RuntimeException e) {
      Throwable root = rootCause(e);
      String why = root instanceof BindException ? "address already in use or not available"
          : String.valueOf(root.getMessage());
      throw new EdgeStartException("cannot listen on " + at + " (" + what + "): " + why, e);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** The bound client address (the real port when configured with port 0). */
  public InetSocketAddress address() {
    return bound(server);
  }

  public InetSocketAddress adminAddress() {
    return bound(admin);
  }

  private static InetSocketAddress bound(Undertow u) {
    return (InetSocketAddress) u.getListenerInfo().get(0).getAddress();
  }

  public EdgeConfig config() {
    return config;
  }

  /** Internals for tests and the metrics adapter. */
  public EdgeContext context() {
    return context;
  }

  public boolean isReady() {
    return ready.get();
  }

  @Override
  public void close() {
    ready.set(false);
    stopQuietly(server);
    stopQuietly(admin);
    if (purgeFollower != null) {
      purgeFollower.close();
    }
    if (purgeForwarder != null) {
      purgeForwarder.close();
    }
    origin.close();
    context.close();
    cache.close();
    if (history != null) {
      history.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (accessLog != null) {
      accessLog.close();
    }
  }

  private static void stopQuietly(@Nullable Undertow u) {
    if (u != null) {
      try {
        u.stop();
      } catch (RuntimeException ignored) {
        // already stopped
      }
    }
  }
}
