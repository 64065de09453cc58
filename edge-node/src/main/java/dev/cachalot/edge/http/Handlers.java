package dev.cachalot.edge.http;

import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.origin.OriginException;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure handling shared by the stages: the one place origin errors become client statuses (and a failed tier read
 * becomes a miss).
 */
final class Handlers {
  private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

  private Handlers() {}

  /** The entry a lookup finds, waiting for it (off the I/O thread only); a read that failed finds nothing. */
  static @Nullable CacheEntry entryOf(CompletableFuture<@Nullable CacheEntry> lookup) {
    return lookup.handle((e, error) -> error == null ? e : null).join();
  }

  /**
   * 504 for timeouts; 503 when the edge shed the fetch to protect the origin (bulkhead full, breaker open); 502 for
   * every other origin failure (refused, reset, malformed, truncated).
   */
  static int statusFor(OriginException e) {
    return e.isTimeout() ? 504 : e.isShed() ? 503 : 502;
  }

  static String messageFor(OriginException e) {
    String prefix = e.isTimeout() ? "Gateway Timeout: " : e.isShed() ? "Service Unavailable: " : "Bad Gateway: ";
    return prefix + "origin " + switch (e.kind()) {
      case CONNECT_TIMEOUT -> "did not accept a connection in time";
      case READ_TIMEOUT -> "did not answer in time";
      case REFUSED -> "refused the connection or is unreachable";
      case STATUS_5XX -> "failed";
      case STATUS_4XX -> "rejected the request";
      case PROTOCOL -> "sent a malformed or incomplete response";
      case OVERLOADED -> "has too many fetches in flight; try again shortly";
      case CIRCUIT_OPEN -> "is failing; its circuit breaker is open";
    };
  }

  /** An unexpected failure inside a stage: answer 500 if nothing was sent yet, else drop the connection. */
  static void fail(HttpServerExchange ex, EdgeContext edge, Throwable e) {
    LOG.error("EDGE-001 request {} {} failed inside the edge", ex.getRequestMethod(), ex.getRequestURI(), e);
    if (ex.isResponseStarted()) {
      org.xnio.IoUtils.safeClose(ex.getConnection());
    } else {
      edge.writer.error(ex, 500, "Internal Server Error", CacheStatus.plain(edge.name).detail("edge-error"));
    }
  }
}
