package dev.cachalot.edge.metrics;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How a request was answered, read off its {@code Cache-Status} so that the label always matches the header (a
 * fresh hit, the commonest answer, is flagged by the stage that wrote its {@code hit} status instead).
 */
public enum CacheResult {
  /** Fresh from a tier. */
  HIT,
  /** Fetched from the origin and stored (or served to a collapsed follower). */
  MISS,
  /** Served stale: stale-while-revalidate, max-stale, or stale-if-error while the origin failed. */
  STALE,
  /** Validated with the origin (304) and served from the tier. */
  REVALIDATED,
  /** Forwarded and not stored: other methods, private or uncacheable answers, too large. */
  PASS,
  /** The edge answered with an error of its own, or the origin's 5xx was passed on. */
  ERROR;

  private final String label = name().toLowerCase(Locale.ROOT);

  public String label() {
    return label;
  }

  /** True for answers that did not need the origin's body. */
  public boolean fromCache() {
    return this == HIT || this == STALE || this == REVALIDATED;
  }

  private static final io.undertow.util.HttpString CACHE_STATUS =
      io.undertow.util.HttpString.tryFromString("Cache-Status");

  /** How this finished exchange was answered: a fresh hit as the pipeline says, anything else by its header. */
  static CacheResult of(io.undertow.server.HttpServerExchange ex, dev.cachalot.edge.http.@Nullable EdgeExchange ctx) {
    if (ctx != null && ctx.freshHit()) {
      return HIT;
    }
    return classify(ex.getResponseHeaders().getFirst(CACHE_STATUS), ex.getStatusCode());
  }

  static CacheResult classify(@Nullable String cacheStatus, int status) {
    if (cacheStatus == null) {
      return status >= 400 ? ERROR : PASS;
    }
    if (cacheStatus.contains("; hit")) {
      return cacheStatus.contains("ttl=-") ? STALE : HIT;
    }
    if (cacheStatus.contains("detail=stale-if-error")) {
      return STALE;
    }
    int fwdStatus = cacheStatus.indexOf("fwd-status=");
    if (fwdStatus < 0) {
      return cacheStatus.contains("collapsed") && status < 500 ? MISS : ERROR;
    }
    if (cacheStatus.startsWith("304", fwdStatus + 11)) {
      return REVALIDATED;
    }
    if (cacheStatus.startsWith("5", fwdStatus + 11)) {
      return ERROR;
    }
    return cacheStatus.contains("; stored") || cacheStatus.contains("collapsed") ? MISS : PASS;
  }
}
