package dev.cachalot.edge.http;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.policy.CacheControl;
import dev.cachalot.edge.purge.PurgeForwarder;
import dev.cachalot.origin.OriginRouter;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import org.jspecify.annotations.Nullable;

/**
 * First stage: rejects requests that cannot be keyed (no or bad Host: 400) or that no origin serves (421), builds
 * the {@link CacheKey}, and sends GET and HEAD down the cache path and every other method straight to the origin.
 */
public final class RequestGuardHandler implements HttpHandler {
  private final EdgeStage cachePath;
  private final EdgeStage passPath;
  private final ResponseWriter writer;
  private static final HttpString PURGE = HttpString.tryFromString("PURGE");

  private final OriginRouter origins;
  private final @Nullable PurgeForwarder forwarder;
  private final @Nullable RequestListener listener;
  private final @Nullable ExchangeCompletionListener refused;

  public RequestGuardHandler(EdgeStage cachePath, EdgeStage passPath, EdgeContext context) {
    this.cachePath = cachePath;
    this.passPath = passPath;
    this.writer = context.writer;
    this.origins = context.origin;
    this.forwarder = context.purgeForwarder;
    RequestListener l = context.listener;
    this.listener = l;
    this.refused = l == null ? null : (exchange, next) -> {
      try {
        l.requestDone(exchange, null);
      } finally {
        next.proceed();
      }
    };
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    HeaderMap in = ex.getRequestHeaders();
    String host = in.getFirst(Headers.HOST);
    String target = target(ex);
    CacheKey key = CacheKeyFactory.of(ex.getRequestScheme(), host, target);
    if (key == null || in.count(Headers.HOST) > 1) {
      if (refused != null) {
        ex.addExchangeCompleteListener(refused);
      }
      writer.error(ex, 400, "Bad Request: missing or invalid Host or request target", CacheStatus.plain(writer.name()));
      return;
    }
    String hostField = host == null ? key.host() : host;
    if (origins.originFor(hostField, target.startsWith("/") ? target : originTarget(target)) == null) {
      if (refused != null) {
        ex.addExchangeCompleteListener(refused);
      }
      writer.error(ex, 421, "Misdirected Request: no origin is configured for host '" + key.host() + "'",
          CacheStatus.plain(writer.name()).detail("no-origin"));
      return;
    }
    if (ex.getRequestMethod().equals(PURGE)) {
      purge(ex, key);
      return;
    }
    boolean get = ex.getRequestMethod().equals(Methods.GET);
    boolean head = ex.getRequestMethod().equals(Methods.HEAD);
    CacheControl cc = requestCacheControl(in);
    EdgeExchange ctx = new EdgeExchange(key, originTarget(target), hostField, head, cc, listener);
    if (listener != null) {
      ex.addExchangeCompleteListener(ctx);
    }
    if (get || head) {
      cachePath.handle(ex, ctx);
    } else {
      passPath.handle(ex, ctx);
    }
  }

  private void purge(HttpServerExchange ex, CacheKey key) {
    if (forwarder == null) {
      ex.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
      writer.error(ex, 405, "Method Not Allowed: PURGE needs a purge service (purge.service)",
          CacheStatus.plain(writer.name()));
      return;
    }
    forwarder.forward(ex, key.url());
  }

  /** The raw request target as received: path and query, undecoded. */
  private static String target(HttpServerExchange ex) {
    String uri = ex.getRequestURI();
    String query = ex.getQueryString();
    return query == null || query.isEmpty() ? uri : uri + "?" + query;
  }

  /** Origin-form of an absolute-form target. */
  private static String originTarget(String target) {
    if (target.startsWith("/")) {
      return target;
    }
    int schemeEnd = target.indexOf("://");
    int slash = schemeEnd < 0 ? -1 : target.indexOf('/', schemeEnd + 3);
    return slash < 0 ? "/" : target.substring(slash);
  }

  /** Cache-Control, or Pragma: no-cache when Cache-Control is absent (RFC 9111 §5.4). */
  private static CacheControl requestCacheControl(HeaderMap in) {
    String cc = EdgeExchange.joined(in, Headers.CACHE_CONTROL);
    if (cc == null) {
      String pragma = EdgeExchange.joined(in, Headers.PRAGMA);
      if (pragma != null && pragma.toLowerCase(java.util.Locale.ROOT).contains("no-cache")) {
        return CacheControl.parse("no-cache");
      }
    }
    return CacheControl.parse(cc);
  }
}
