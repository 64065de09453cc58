package dev.cachalot.edge.metrics;

import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The fields of up to {@link #CAPACITY} finished requests, kept as they are and formatted together. Taking a
 * request's fields is a few stores; formatting a batch in one loop, rather than a line between every two
 * requests, keeps the hit path's code and the formatting's each hot in the CPU's caches. A line is copied from
 * few, ready-made pieces (the connection's address part, the method and protocol parts, a constant per result and
 * tier), since each copy call costs more than its bytes.
 */
final class PendingLines {
  static final int CAPACITY = 256;

  /** Per (result, tier): the bytes from {@code " cache="} up to the origin time. */
  private static final byte[][][] TAILS = tails();
  /** A request refused before it was keyed: no tier and no times. */
  private static final byte[][] UNKEYED_TAILS = unkeyedTails();
  /** Per (result, tier), for a line with no Referer, no User-Agent and no origin time: up to the total time. */
  private static final byte[][][] BARE_TAILS = bareTails();
  private static final int STATUS_LIMIT = 1000;
  private static final byte[] TOTAL_MS = LineBuffer.bytesOf(" total_ms=");

  /** The client address followed by {@code " - - ["}, one array per connection. */
  private final byte[][] peerPrefix = new byte[CAPACITY][];
  private final long[] endNanos = new long[CAPACITY];
  private final HttpString[] method = new HttpString[CAPACITY];
  private final String[] uri = new String[CAPACITY];
  private final @Nullable String[] query = new String[CAPACITY];
  private final HttpString[] protocol = new HttpString[CAPACITY];
  private final int[] status = new int[CAPACITY];
  private final long[] bytes = new long[CAPACITY];
  private final @Nullable String[] referer = new String[CAPACITY];
  private final @Nullable String[] userAgent = new String[CAPACITY];
  private final CacheResult[] result = new CacheResult[CAPACITY];
  /** Null for a request refused before it was keyed. */
  private final TrafficCounters.@Nullable Tier[] tier = new TrafficCounters.Tier[CAPACITY];
  /** -1: the origin was not asked, and the request was not timed. */
  private final long[] originNanos = new long[CAPACITY];
  private final long[] totalNanos = new long[CAPACITY];
  private int size;
  /** The last method seen, with the bytes around it: nearly every line has the same. */
  private @Nullable HttpString lastMethod;
  private byte[] methodPart = new byte[0];
  /** Per status, the protocol, the status and the bytes around them. */
  private final byte[][] http11Parts = new byte[STATUS_LIMIT][];
  private @Nullable HttpString otherProtocol;
  private byte[][] otherParts = new byte[STATUS_LIMIT][];
  /** Where the last line's head was written in the output, and what it was written from. */
  private byte @Nullable [] headPeer;
  private byte @Nullable [] headDate;
  private @Nullable HttpString headMethod;
  private int headStart;
  private int headLength;
  private int headDrains = -1;

  boolean full() {
    return size == CAPACITY;
  }

  boolean isEmpty() {
    return size == 0;
  }

  @SuppressWarnings("TooManyParameters") // one request's fields, taken in one call on the hit path
  void add(byte[] peerPrefix, long endNanos, HttpString method, String uri, @Nullable String query,
      HttpString protocol, int status, long bytes, @Nullable String referer, @Nullable String userAgent,
      CacheResult result, TrafficCounters.@Nullable Tier tier, long originNanos, long totalNanos) {
    int i = size++;
    this.peerPrefix[i] = peerPrefix;
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
      head(out, peerPrefix[i], date.apply(endNanos[i]), method[i]);
      out.escaped(uri[i]);
      String q = query[i];
      if (q != null && !q.isEmpty()) {
        out.ascii('?').escaped(q);
      }
      out.ascii(statusPart(protocol[i], status[i])).number(bytes[i]).ascii(' ');
      String ref = referer[i];
      String agent = userAgent[i];
      TrafficCounters.Tier t = tier[i];
      if (t == null) {
        out.quoted(ref).ascii(' ').quoted(agent).ascii(UNKEYED_TAILS[result[i].ordinal()]);
      } else if (ref == null && agent == null && originNanos[i] < 0) {
        out.ascii(BARE_TAILS[result[i].ordinal()][t.ordinal()]).millis(totalNanos[i]).ascii('\n');
      } else {
        out.quoted(ref).ascii(' ').quoted(agent).ascii(TAILS[result[i].ordinal()][t.ordinal()])
            .millis(originNanos[i]).ascii(TOTAL_MS).millis(totalNanos[i]).ascii('\n');
      }
      uri[i] = "";
      query[i] = null;
      referer[i] = null;
      userAgent[i] = null;
    }
    size = 0;
  }

  /**
   * The address, date and method: copied from the previous line's when all three are the same objects (one
   * connection's address, one second, GET), else written from the parts.
   */
  private void head(LineBuffer out, byte[] peer, byte[] date, HttpString method) {
    if (peer == headPeer && date == headDate && method == headMethod && out.drains() == headDrains) {
      out.repeat(headStart, headLength);
      return;
    }
    headStart = out.length();
    out.ascii(peer).ascii(date).ascii(methodPart(method));
    headLength = out.length() - headStart;
    headDrains = out.drains();
    headPeer = peer;
    headDate = date;
    headMethod = method;
  }

  private byte[] methodPart(HttpString method) {
    if (method != lastMethod) {
      methodPart = LineBuffer.bytesOf("] \"" + method + " ");
      lastMethod = method;
    }
    return methodPart;
  }

  /** {@code " HTTP/1.1\" 200 "}: one array per status, kept for HTTP/1.1 and for the other protocol last seen. */
  private byte[] statusPart(HttpString protocol, int status) {
    byte[][] parts = http11Parts;
    if (protocol != Protocols.HTTP_1_1) {
      if (protocol != otherProtocol) {
        otherParts = new byte[STATUS_LIMIT][];
        otherProtocol = protocol;
      }
      parts = otherParts;
    }
    if (status < 0 || status >= STATUS_LIMIT) {
      return LineBuffer.bytesOf(" " + protocol + "\" " + status + " ");
    }
    byte[] part = parts[status];
    if (part == null) {
      part = LineBuffer.bytesOf(" " + protocol + "\" " + status + " ");
      parts[status] = part;
    }
    return part;
  }

  private static byte[][][] tails() {
    CacheResult[] results = CacheResult.values();
    TrafficCounters.Tier[] tiers = TrafficCounters.Tier.values();
    byte[][][] t = new byte[results.length][tiers.length][];
    for (CacheResult r : results) {
      for (TrafficCounters.Tier tier : tiers) {
        t[r.ordinal()][tier.ordinal()] =
            LineBuffer.bytesOf(" cache=" + r.label() + " tier=" + tier.label() + " origin_ms=");
      }
    }
    return t;
  }

  private static byte[][][] bareTails() {
    byte[][][] t = new byte[TAILS.length][][];
    for (int r = 0; r < TAILS.length; r++) {
      t[r] = new byte[TAILS[r].length][];
      for (int tier = 0; tier < TAILS[r].length; tier++) {
        t[r][tier] = LineBuffer.bytesOf("\"-\" \"-\"" + new String(TAILS[r][tier], StandardCharsets.US_ASCII)
            + "- total_ms=");
      }
    }
    return t;
  }

  private static byte[][] unkeyedTails() {
    CacheResult[] results = CacheResult.values();
    byte[][] t = new byte[results.length][];
    for (CacheResult r : results) {
      t[r.ordinal()] = LineBuffer.bytesOf(" cache=" + r.label() + " tier=none origin_ms=- total_ms=-\n");
    }
    return t;
  }
}
