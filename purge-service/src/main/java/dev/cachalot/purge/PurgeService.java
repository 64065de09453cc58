package dev.cachalot.purge;

import dev.cachalot.config.HostPort;
import dev.cachalot.config.PurgeServiceConfig;
import dev.cachalot.purge.api.EdgeApi;
import dev.cachalot.purge.api.EdgeRegistry;
import dev.cachalot.purge.api.PublisherApi;
import dev.cachalot.purge.api.PurgeCounters;
import dev.cachalot.purge.auth.Tokens;
import dev.cachalot.purge.log.EmbeddedPurgeLog;
import dev.cachalot.purge.log.JetStreamPurgeLog;
import dev.cachalot.purge.log.PurgeLog;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * A running purge service: the durable log, the publisher API, the edge API, health and metrics, on one listener.
 *
 * <pre>
 *   POST /v1/purge              publishers (tokens): 202 once durable
 *   GET  /v1/purge/{id}         publishers: which edges applied it, and when
 *   GET  /v1/log?after=N&amp;edge=E  edges: long-poll the records after N (reports N as applied)
 *   POST /v1/edges/{edge}/applied
 *   GET  /healthz /readyz /metrics
 * </pre>
 */
public final class PurgeService implements AutoCloseable {
  private final PurgeServiceConfig config;
  private final PurgeLog log;
  private final Undertow server;
  private final PurgeMetrics metrics;

  private PurgeService(PurgeServiceConfig config, PurgeLog log, LongSupplier clock) {
    this.config = config;
    this.log = log;
    EdgeRegistry edges = new EdgeRegistry();
    PurgeCounters counters = new PurgeCounters();
    this.metrics = new PurgeMetrics(log, edges, counters);
    PublisherApi publishers = new PublisherApi(new Tokens(config.tokens()), log, edges, clock, counters);
    EdgeApi edgeApi = new EdgeApi(log, edges, clock, config.edgeToken());
    HostPort l = config.listen();
    this.server = Undertow.builder()
        .addHttpListener(l.port(), l.host())
        .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
        .setWorkerThreads(4)
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 1L << 20)
        .setHandler(ex -> route(ex, publishers, edgeApi))
        .build();
  }

  public static PurgeService start(PurgeServiceConfig config) {
    return start(config, System::currentTimeMillis);
  }

  public static PurgeService start(PurgeServiceConfig config, LongSupplier clock) {
    PurgeLog log;
    String nats = config.natsUrl();
    try {
      log = nats == null ? EmbeddedPurgeLog.open(config.dataDir())
          : JetStreamPurgeLog.open(nats, config.natsStream(), PurgeServiceConfig.subjectOf(config.natsStream()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the purge log " + (nats == null ? "in " + config.dataDir()
          : "on " + nats + " (stream " + config.natsStream() + ")") + ": " + e.getMessage(), e);
    }
    PurgeService s = new PurgeService(config, log, clock);
    try {
      s.server.start();
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    return s;
  }

  private void route(HttpServerExchange ex, PublisherApi publishers, EdgeApi edgeApi) {
    String path = ex.getRequestPath();
    boolean get = ex.getRequestMethod().equals(Methods.GET);
    boolean post = ex.getRequestMethod().equals(Methods.POST);
    if (path.equals("/v1/purge") && post) {
      publishers.purge(ex);
    } else if (path.startsWith("/v1/purge/") && get) {
      publishers.status(ex, path.substring("/v1/purge/".length()));
    } else if (path.equals("/v1/log") && get) {
      edgeApi.follow(ex);
    } else if (path.startsWith("/v1/edges/") && path.endsWith("/applied") && post) {
      edgeApi.applied(ex, path.substring("/v1/edges/".length(), path.length() - "/applied".length()));
    } else if (path.equals("/healthz") || path.equals("/readyz")) {
      text(ex, 200, "ok\n");
    } else if (path.equals("/metrics") && get) {
      PurgeMetrics.Scrape s = metrics.scrape(ex.getRequestHeaders().getFirst(Headers.ACCEPT));
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, s.contentType());
      ex.getResponseSender().send(s.body());
    } else if (path.equals("/v1/purge") || path.equals("/v1/log") || path.startsWith("/v1/")) {
      ex.getResponseHeaders().put(Headers.ALLOW, path.equals("/v1/purge") ? "POST" : "GET");
      text(ex, 405, "Method Not Allowed\n");
    } else {
      text(ex, 404, "not found: see docs/purge-api.md\n");
    }
  }

  private static void text(HttpServerExchange ex, int status, String body) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    ex.getResponseSender().send(body);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
  }

  public PurgeServiceConfig config() {
    return config;
  }

  public long head() {
    return log.head();
  }

  @Override
  public void close() {
    server.stop();
    log.close();
    metrics.close();
  }
}
