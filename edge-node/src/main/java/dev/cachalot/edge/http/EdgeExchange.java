package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.policy.CacheControl;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import org.jspecify.annotations.Nullable;

/** What the handlers learn about one request as it moves down the pipeline. */
final class EdgeExchange {
  static final AttachmentKey<EdgeExchange> KEY = AttachmentKey.create(EdgeExchange.class);

  final CacheKey key;
  /** Raw path and query as received. */
  final String target;
  /** The client's Host field. */
  final String host;
  final boolean head;
  final CacheControl requestCacheControl;
  /** A stored response that must be validated before reuse, or null. */
  @Nullable StoredResponse candidate;
  /** RFC 9211 fwd reason: uri-miss, vary-miss, stale, request, method, bypass. */
  String forwardReason = "uri-miss";
  MissCoalescer.@Nullable Ticket ticket;
  boolean collapsed;

  EdgeExchange(CacheKey key, String target, String host, boolean head, CacheControl requestCacheControl) {
    this.key = key;
    this.target = target;
    this.host = host;
    this.head = head;
    this.requestCacheControl = requestCacheControl;
  }

  static EdgeExchange of(HttpServerExchange exchange) {
    EdgeExchange e = exchange.getAttachment(KEY);
    if (e == null) {
      throw new IllegalStateException("RequestGuardHandler must run first");
    }
    return e;
  }

  /** All lines of a request field joined with ", ", or null. */
  static @Nullable String joined(HeaderMap headers, String name) {
    HeaderValues values = headers.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    return values.size() == 1 ? values.getFirst() : String.join(", ", values);
  }

  /** A copy of the request's fields that may be read from any thread. */
  static HttpFields snapshot(HeaderMap headers) {
    HttpFields.Builder b = HttpFields.builder();
    for (HeaderValues hv : headers) {
      String name = hv.getHeaderName().toString();
      for (String v : hv) {
        b.add(name, v);
      }
    }
    return b.build();
  }
}
