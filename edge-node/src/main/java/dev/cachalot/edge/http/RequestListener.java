package dev.cachalot.edge.http;

import io.undertow.server.HttpServerExchange;
import org.jspecify.annotations.Nullable;

/**
 * Told once about every finished request (metrics, access log), on the exchange's I/O thread: must be cheap and
 * must not block. {@code ctx} is null for requests refused before they were keyed (no Host, no origin).
 */
public interface RequestListener {
  void requestDone(HttpServerExchange ex, @Nullable EdgeExchange ctx);

  /** Whether it reads {@link EdgeExchange#startNanos()}: without it, requests are not timed. */
  default boolean timesRequests() {
    return false;
  }
}
