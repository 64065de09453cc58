package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.policy.CacheControl;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import org.jspecify.annotations.Nullable;

/**
 * What the stages learn about one request as it moves down the pipeline. Read-only outside this package. It is
 * also the exchange's completion listener, so reporting a finished request allocates nothing more.
 */
public final class EdgeExchange implements ExchangeCompletionListener {

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
  /** The tiers were looked at again after a miss (once per request; see MissCoalescingHandler). */
  boolean rechecked;
  /**
   * The description handed over by a fill that is storing this object as slices: served from even when it may
   * not be reused (no-cache, max-age=0), as a follower is served what the fill just stored. Set once; a second
   * hand-off fetches alone instead of going round again.
   */
  @Nullable StoredResponse slicedFill;
  /** The key's last response could not be stored (hit-for-miss): ranges go to the origin as they are. */
  boolean knownUnshareable;
  /** The stored response came from the mapped tier (its lookup did not complete at once). */
  boolean fromMapped;
  /** Answered as a fresh hit: Cache-Status says {@code hit} with a ttl, so the listeners need not parse it. */
  boolean freshHit;
  /** When the request entered the pipeline ({@link LoopClock}), and how long the origin took (0: not asked). */
  final long startNanos;
  long originNanos;
  private final @Nullable RequestListener listener;

  EdgeExchange(CacheKey key, String target, String host, boolean head, CacheControl requestCacheControl,
      @Nullable RequestListener listener) {
    this.key = key;
    this.target = target;
    this.host = host;
    this.head = head;
    this.requestCacheControl = requestCacheControl;
    this.listener = listener;
    this.startNanos = listener != null && listener.timesRequests() ? LoopClock.current().nanoTime() : 0;
  }

  public String host() {
    return host;
  }

  public boolean fromMapped() {
    return fromMapped;
  }

  public boolean freshHit() {
    return freshHit;
  }

  public long startNanos() {
    return startNanos;
  }

  /** Nanoseconds spent waiting on the origin, or 0 when it was not asked. */
  public long originNanos() {
    return originNanos;
  }

  @Override
  public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
    try {
      if (listener != null) {
        listener.requestDone(exchange, this);
      }
    } finally {
      next.proceed();
    }
  }

  /** All lines of a request field joined with ", ", or null. */
  static @Nullable String joined(HeaderMap headers, String name) {
    return joined(headers, HttpString.tryFromString(name));
  }

  /** As {@link #joined(HeaderMap, String)}, with a precomputed name (cheaper on the hot path). */
  static @Nullable String joined(HeaderMap headers, HttpString name) {
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
