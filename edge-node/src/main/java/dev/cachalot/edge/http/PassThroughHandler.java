package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.OriginRequests;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.tier.RemovalReason;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginException;
import dev.cachalot.origin.OriginRequest;
import dev.cachalot.origin.OriginResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Methods the cache does not answer (POST, PUT, DELETE, PATCH, OPTIONS, …) go to the origin unchanged, body
 * included, and stream back. A 2xx or 3xx answer to an unsafe method invalidates the target URI and same-origin
 * {@code Location} and {@code Content-Location} (RFC 9111 §4.4).
 */
public final class PassThroughHandler implements EdgeStage {
  private final EdgeContext edge;

  public PassThroughHandler(EdgeContext edge) {
    this.edge = edge;
  }

  @Override
  public void handle(HttpServerExchange ex, EdgeExchange ctx) {
    ctx.forwardReason = "method";
    long declared = ex.getRequestContentLength();
    boolean hasBody = declared > 0 || ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    if (!hasBody) {
      forward(ex, ctx, null);
      return;
    }
    if (declared > edge.maxRequestBody) {
      tooBig(ex);
      return;
    }
    ex.setMaxEntitySize(edge.maxRequestBody);
    ex.getRequestReceiver().receiveFullBytes((e, body) -> forward(e, ctx, body), (e, error) -> {
      if (error instanceof RequestTooBigException) {
        tooBig(e);
      } else {
        org.xnio.IoUtils.safeClose(e.getConnection()); // the client went away mid-body
      }
    });
  }

  private void tooBig(HttpServerExchange ex) {
    edge.writer.error(ex, 413, "Content Too Large: request body exceeds server.maxRequestBodySize ("
        + edge.maxRequestBody + " bytes)", CacheStatus.plain(edge.name));
  }

  private void forward(HttpServerExchange ex, EdgeExchange ctx, byte @Nullable [] body) {
    String method = ex.getRequestMethod().toString();
    HttpFields client = EdgeExchange.snapshot(ex.getRequestHeaders());
    OriginRequest request = OriginRequests.forPass(method, ctx.target, ctx.host, client, body, edge.name);
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> edge.origin.fetch(request).whenCompleteAsync((response, error) -> {
      if (error != null) {
        OriginException e = dev.cachalot.edge.fill.Filler.originError(error);
        ex.getIoThread().execute(() -> edge.writer.error(ex, Handlers.statusFor(e), Handlers.messageFor(e),
            CacheStatus.fwd(edge.name, "method").detail(e.kind().name().toLowerCase(Locale.ROOT))));
        return;
      }
      if (isUnsafe(method) && response.status() >= 200 && response.status() < 400) {
        invalidate(ctx, response);
      }
      edge.writer.stream(ex, response, new byte[0],
          CacheStatus.fwd(edge.name, "method").fwdStatus(response.status()), false);
    }, edge.offIo));
  }

  private void invalidate(EdgeExchange ctx, OriginResponse response) {
    edge.cache.invalidate(ctx.key, RemovalReason.INVALIDATED);
    for (String field : new String[] {"Location", "Content-Location"}) {
      String value = response.headers().get(field);
      CacheKey other = value == null ? null : sameOrigin(ctx.key, value);
      if (other != null) {
        edge.cache.invalidate(other, RemovalReason.INVALIDATED);
      }
    }
  }

  /** The key for a Location-style reference if it has the request's scheme and host, else null. */
  static @Nullable CacheKey sameOrigin(CacheKey requestKey, String reference) {
    try {
      URI base = URI.create(requestKey.url());
      URI resolved = base.resolve(reference.trim());
      String target = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
      if (resolved.getRawQuery() != null) {
        target += "?" + resolved.getRawQuery();
      }
      String authority = resolved.getRawAuthority();
      CacheKey key = CacheKeyFactory.of(resolved.getScheme(), authority, target);
      return key != null && key.host().equals(requestKey.host()) && resolved.getScheme().equals(base.getScheme())
          ? key : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isUnsafe(String method) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "OPTIONS", "TRACE" -> false;
      default -> true;
    };
  }
}
