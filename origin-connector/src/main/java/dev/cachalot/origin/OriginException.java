package dev.cachalot.origin;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Why an origin fetch failed, and whether trying again could help. */
public final class OriginException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Failure kinds; the edge maps each to a client status in one place. */
  public enum Kind {
    /** No connection within the connect timeout. */
    CONNECT_TIMEOUT,
    /** Connected, but no byte within the read timeout (first byte or between bytes). */
    READ_TIMEOUT,
    /** Connection refused, reset before a response, or the host is unknown or unreachable. */
    REFUSED,
    /** The origin answered 5xx where a success was needed. */
    STATUS_5XX,
    /** The origin answered 4xx where a success was needed. */
    STATUS_4XX,
    /** Malformed response, or a body cut short (reset, early close, length mismatch). */
    PROTOCOL,
    /** Not sent: the origin's bulkhead was full and the wait for a slot ran out. */
    OVERLOADED,
    /** Not sent: the origin's circuit breaker is open after consecutive failures. */
    CIRCUIT_OPEN,
  }

  private final Kind kind;
  private final boolean retryable;

  public OriginException(Kind kind, boolean retryable, String message, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = kind;
    this.retryable = retryable;
  }

  public OriginException(Kind kind, boolean retryable, String message) {
    super(kind + ": " + message);
    this.kind = kind;
    this.retryable = retryable;
  }

  public Kind kind() {
    return kind;
  }

  /** True when nothing reached the origin or the failure is transient, so an idempotent retry is safe. */
  public boolean retryable() {
    return retryable;
  }

  /** True when the edge itself refused to send the request, to protect the origin. */
  public boolean isShed() {
    return kind == Kind.OVERLOADED || kind == Kind.CIRCUIT_OPEN;
  }

  public boolean isTimeout() {
    return kind == Kind.CONNECT_TIMEOUT || kind == Kind.READ_TIMEOUT;
  }

  /** Classifies an I/O failure from any client library. */
  public static OriginException classify(IOException e, boolean connected) {
    if (e instanceof OriginException oe) {
      return oe;
    }
    String msg = String.valueOf(e.getMessage());
    String lower = msg.toLowerCase(Locale.ROOT);
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
      boolean connect = !connected || lower.contains("connect");
      return new OriginException(connect ? Kind.CONNECT_TIMEOUT : Kind.READ_TIMEOUT, true, msg, e);
    }
    if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
      return new OriginException(Kind.REFUSED, true, msg, e);
    }
    if (e instanceof ProtocolException) {
      return new OriginException(Kind.PROTOCOL, false, msg, e);
    }
    if (!connected) {
      return new OriginException(Kind.REFUSED, true, msg, e);
    }
    return new OriginException(Kind.PROTOCOL, false, msg, e);
  }
}
