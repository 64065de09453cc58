package dev.cachalot.edge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.edge.metrics.EdgeMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The admin listener (loopback by default):
 *
 * <ul>
 *   <li>{@code /healthz}: the process is up; {@code /readyz}: the edge can serve (200) or not yet (503), so a load
 *       balancer only sends traffic to a node whose tiers are open. Never behind the token.
 *   <li>{@code /metrics}: Prometheus text format, or OpenMetrics when the {@code Accept} field asks for it;
 *   <li>{@code /admin/stats}: the same numbers as JSON; {@code /admin/config}: the effective configuration, secrets
 *       redacted; {@code /admin/}: the status page.
 * </ul>
 *
 * With {@code admin.token} set, everything but the health checks and the (data-free) status page needs
 * {@code Authorization: Bearer TOKEN}.
 */
public final class AdminHandler implements HttpHandler {
  private static final byte[] STATUS_PAGE = resource("status.html");

  private final BooleanSupplier ready;
  private final @Nullable EdgeMetrics metrics;
  private final @Nullable Supplier<Object> stats;
  private final @Nullable EdgeConfig config;
  private final byte @Nullable [] expectedAuthorization;

  /** Health checks only (the edge is still starting). */
  public AdminHandler(BooleanSupplier ready) {
    this(ready, null, null, null);
  }

  public AdminHandler(BooleanSupplier ready, @Nullable EdgeMetrics metrics, @Nullable Supplier<Object> stats,
      @Nullable EdgeConfig config) {
    this.ready = ready;
    this.metrics = metrics;
    this.stats = stats;
    this.config = config;
    String token = config == null ? null : config.ops().adminToken();
    this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  /** The stats document for {@code /admin/stats}. */
  public static Supplier<Object> stats(EdgeMetrics metrics, StatsHistory history,
      dev.cachalot.edge.tier.CacheTier cache, dev.cachalot.edge.fill.MissCoalescer coalescer,
      dev.cachalot.origin.OriginRouter origins, Supplier<? extends Object> purge) {
    AdminStats s = new AdminStats(metrics, history, cache, coalescer, origins, purge);
    return s::build;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) {
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    String path = ex.getRequestPath();
    switch (path) {
      case "/admin", "/admin/" -> { // static, no data: it fetches /admin/stats with the token from its #fragment
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        ex.getResponseSender().send(java.nio.ByteBuffer.wrap(STATUS_PAGE));
      }
      case "/healthz" -> text(ex, 200, "ok\n");
      case "/readyz" -> {
        boolean ok = ready.getAsBoolean();
        text(ex, ok ? 200 : 503, ok ? "ready\n" : "not ready\n");
      }
      default -> {
        if (!authorised(ex)) {
          ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"cachalot-admin\"");
          text(ex, 401, "Unauthorized: send Authorization: Bearer <admin.token>\n");
          return;
        }
        protectedPath(ex, path);
      }
    }
  }

  private void protectedPath(HttpServerExchange ex, String path) {
    switch (path) {
      case "/metrics" -> {
        if (metrics == null) {
          text(ex, 404, "metrics are off (metrics.enabled: false)\n");
          return;
        }
        EdgeMetrics.Scrape scrape = metrics.scrape(ex.getRequestHeaders().getFirst(Headers.ACCEPT));
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, scrape.contentType());
        ex.getResponseSender().send(scrape.body());
      }
      case "/admin/stats" -> {
        if (stats == null) {
          text(ex, 404, "metrics are off (metrics.enabled: false)\n");
          return;
        }
        json(ex, stats.get());
      }
      case "/admin/config" -> {
        if (config == null) {
          text(ex, 503, "starting\n");
          return;
        }
        json(ex, ConfigView.of(config));
      }
      default -> text(ex, 404, "not found: try /healthz, /readyz, /metrics, /admin/, /admin/stats, /admin/config\n");
    }
  }

  /** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
  private boolean authorised(HttpServerExchange ex) {
    if (expectedAuthorization == null) {
      return true;
    }
    String given = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
  }

  private static void text(HttpServerExchange ex, int status, String body) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    ex.getResponseSender().send(body);
  }

  private static void json(HttpServerExchange ex, Object value) {
    try {
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
      ex.getResponseSender().send(ConfigView.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      text(ex, 500, "cannot write JSON: " + e.getOriginalMessage() + "\n");
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = AdminHandler.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
