package dev.cachalot.edge.metrics;

import io.undertow.util.HttpString;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The fields of up to {@link #CAPACITY} finished requests, kept as they are and formatted together. Taking a
 * request's fields is a few stores; formatting a batch in one loop, rather than a line between every two
 * requests, keeps the hit path's code and the formatting's each hot in the CPU's caches.
 */
final class PendingLines {
  static final int CAPACITY = 256;

  private final byte[][] peer = new byte[CAPACITY][];
  private final long[] endNanos = new long[CAPACITY];
  private final HttpString[] method = new HttpString[CAPACITY];
  private final String[] uri = new String[CAPACITY];
  private final @Nullable String[] query = new String[CAPACITY];
  private final HttpString[] protocol = new HttpString[CAPACITY];
  private final int[] status = new int[CAPACITY];
  private final long[] bytes = new long[CAPACITY];
  private final @Nullable String[] referer = new String[CAPACITY];
  private final @Nullable String[] userAgent = new String[CAPACITY];
  private final String[] result = new String[CAPACITY];
  /** {@code memory}, {@code mapped}, {@code origin}, or null for a request refused before it was keyed. */
  private final @Nullable String[] tier = new String[CAPACITY];
  private final long[] originNanos = new long[CAPACITY];
  private final long[] totalNanos = new long[CAPACITY];
  private int size;

  boolean full() {
    return size == CAPACITY;
  }

  boolean isEmpty() {
    return size == 0;
  }

  @SuppressWarnings("TooManyParameters") // one request's fields, taken in one call on the hit path
  void add(byte[] peer, long endNanos, HttpString method, String uri, @Nullable String query, HttpString protocol,
      int status, long bytes, @Nullable String referer, @Nullable String userAgent, String result,
      @Nullable String tier, long originNanos, long totalNanos) {
    int i = size++;
    this.peer[i] = peer;
    this.endNanos[i] = endNanos;
    this.method[i] = method;
    this.uri[i] = uri;
    this.query[i] = query;
    this.protocol[i] = protocol;
    this.status[i] = status;
    this.bytes[i] = bytes;
    this.referer[i] = referer;
    this.userAgent[i] = userAgent;
    this.result[i] = result;
    this.tier[i] = tier;
    this.originNanos[i] = originNanos;
    this.totalNanos[i] = totalNanos;
  }

  /** Appends every pending line to {@code out} and empties the batch; {@code date} renders an end time. */
  void formatInto(LineBuffer out, LongFunction<byte[]> date) {
    for (int i = 0; i < size; i++) {
      out.ascii(peer[i]).ascii(" - - [").ascii(date.apply(endNanos[i])).ascii("] \"").ascii(method[i]).ascii(' ')
          .escaped(uri[i]);
      String q = query[i];
      if (q != null && !q.isEmpty()) {
        out.ascii('?').escaped(q);
      }
      out.ascii(' ').ascii(protocol[i]).ascii("\" ").number(status[i]).ascii(' ').number(bytes[i]).ascii(' ')
          .quoted(referer[i]).ascii(' ').quoted(userAgent[i]).ascii(" cache=").ascii(result[i]).ascii(" tier=");
      String t = tier[i];
      if (t == null) {
        out.ascii("none origin_ms=- total_ms=-");
      } else {
        out.ascii(t).ascii(" origin_ms=").millis(originNanos[i]).ascii(" total_ms=").millis(totalNanos[i]);
      }
      out.ascii('\n');
      uri[i] = "";
      query[i] = null;
      referer[i] = null;
      userAgent[i] = null;
    }
    size = 0;
  }
}
