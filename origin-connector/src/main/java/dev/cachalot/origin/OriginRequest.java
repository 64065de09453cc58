package dev.cachalot.origin;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request to the origin.
 *
 * @param method the client's method, unchanged
 * @param target raw path and query, e.g. {@code /photos/a.jpg?w=200}, appended to the origin's base path
 * @param host the client's Host, sent on when the origin is configured to preserve it
 * @param headers end-to-end fields to send (the caller has removed hop-by-hop fields)
 * @param body request content, or null for none
 */
public record OriginRequest(String method, String target, String host, HttpFields headers, byte @Nullable [] body) {
  public OriginRequest {
    Objects.requireNonNull(method, "method");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("target must start with '/' (was '" + target + "')");
    }
  }

  @SuppressWarnings("NullAway") // the body component is byte @Nullable []; NullAway 0.12 misreads it on records
  public static OriginRequest get(String target, String host, HttpFields headers) {
    return new OriginRequest("GET", target, host, headers, null);
  }

  /** GET, HEAD, OPTIONS and TRACE are safe (RFC 9110 §9.2.1); PUT and DELETE are idempotent too. */
  public boolean isIdempotent() {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
      default -> false;
    };
  }
}
