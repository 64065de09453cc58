package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.LiveBody;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpDates;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * Writes responses to clients: stored ones (with conditionals, ranges, HEAD, Age, Via, Cache-Status) from the I/O
 * thread without blocking, and origin responses streamed through from an origin thread.
 */
final class ResponseWriter {
  static final HttpString CACHE_STATUS = new HttpString("Cache-Status");
  /** Stored fields replaced on the way out, or meant for this cache only (RFC 9213). */
  private static final Set<String> NOT_SENT = Set.of("age", "via", "content-length", "transfer-encoding",
      "cdn-cache-control", "surrogate-control", "connection", "keep-alive");

  /** Larger bodies are written in bounded steps. */
  private static final int STREAM_ABOVE = 256 * 1024;

  private final String name;
  private final String viaToken;
  private final LongSupplier clock;
  private final java.util.concurrent.atomic.AtomicLong boundaryCounter = new java.util.concurrent.atomic.AtomicLong();

  ResponseWriter(String name, LongSupplier clock) {
    this.name = name;
    this.viaToken = "1.1 " + name;
    this.clock = clock;
  }

  String name() {
    return name;
  }

  /** A stored response, answered on the I/O thread. */
  void serve(HttpServerExchange ex, EdgeExchange ctx, StoredResponse r, CacheStatus status) {
    serve(ex, ctx, r, status, false, clock.getAsLong());
  }

  /** A fresh hit: the commonest response, with its per-second strings reused; {@code now} as its lookup judged. */
  void serveHit(HttpServerExchange ex, EdgeExchange ctx, StoredResponse r, long now) {
    ctx.freshHit = true;
    serve(ex, ctx, r, null, true, now);
  }

  private void serve(HttpServerExchange ex, EdgeExchange ctx, StoredResponse r, @Nullable CacheStatus status,
      boolean plainHit, long now) {
    writeHead(ex, r, status, plainHit, now);
    HeaderMap out = ex.getResponseHeaders();
    int length = r.bodyLength();
    if (r.status() == 200) {
      HeaderMap in = ex.getRequestHeaders();
      int precondition = Preconditions.evaluate(in, r);
      if (precondition != 0) {
        ex.setStatusCode(precondition);
        out.remove(Headers.CONTENT_TYPE);
        out.remove(Headers.CONTENT_ENCODING);
        if (precondition == 412) {
          out.put(Headers.CONTENT_LENGTH, 0);
        }
        ex.endExchange();
        return;
      }
      if (!ctx.head && Preconditions.ifRangeMatches(in, r)) {
        List<ByteRanges.Range> ranges = ByteRanges.parse(EdgeExchange.joined(in, Headers.RANGE), length);
        if (ranges != null) {
          sendRanges(ex, r, length, ranges);
          return;
        }
      }
    }
    ex.setStatusCode(r.status());
    out.put(Headers.CONTENT_LENGTH, length);
    if (ctx.head || length == 0) {
      ex.endExchange();
    } else {
      sendBody(ex, r, 0, length);
    }
  }

  /** The stored fields with Age, Via and Cache-Status. */
  private void writeHead(HttpServerExchange ex, StoredResponse r, @Nullable CacheStatus status, boolean plainHit,
      long now) {
    HeaderMap out = ex.getResponseHeaders();
    Rendered rendered = rendered(r);
    for (int i = 0; i < rendered.names.length; i++) {
      out.add(rendered.names[i], rendered.values[i]);
    }
    long age = r.freshness().ageSeconds(now);
    long ttl = Math.floorDiv(r.freshness().ttlMillis(now), 1000);
    out.put(Headers.AGE, rendered.age(age));
    out.put(Headers.VIA, rendered.via);
    out.put(CACHE_STATUS, plainHit ? rendered.hitStatus(name, ttl)
        : java.util.Objects.requireNonNull(status).ttl(r.freshness().ttlMillis(now)).toString());
  }

  /** Bytes {@code [from, from + n)} of a stored body: a lent one straight from its direct buffer, however large. */
  private static void sendBody(HttpServerExchange ex, StoredResponse r, int from, int n) {
    if (r.lent()) {
      ex.getResponseSender().send(r.bodyBuffer().limit(from + n).position(from));
    } else {
      send(ex, r.bodyArray(), r.bodyOffset() + from, n);
    }
  }

  /** A body in one write when small; in bounded writes when large (see {@link BodyStreamer}). */
  private static void send(HttpServerExchange ex, byte[] body, int offset, int length) {
    if (length <= STREAM_ABOVE) {
      ex.getResponseSender().send(ByteBuffer.wrap(body, offset, length));
    } else {
      new BodyStreamer(ex, List.of(BodyStreamer.Segment.of(LiveBody.complete(body, offset, length), 0, length)), 0)
          .start();
    }
  }

  /**
   * Starts sending a fill whose body is still arriving: the whole body, or one range of it. False when this request
   * needs the complete response (HEAD, preconditions, several ranges); it then waits for the fill to end.
   */
  boolean serveLive(HttpServerExchange ex, EdgeExchange ctx, StoredResponse head, LiveBody body, CacheStatus status) {
    HeaderMap in = ex.getRequestHeaders();
    if (ctx.head || head.status() != 200 || Preconditions.present(in)) {
      return false;
    }
    long length = body.expected();
    long first = 0;
    long last = length - 1;
    boolean partial = false;
    String range = EdgeExchange.joined(in, Headers.RANGE);
    if (range != null) {
      List<ByteRanges.Range> ranges = ByteRanges.parse(range, length);
      if (ranges != null && ranges.size() != 1) {
        return false;
      }
      if (ranges != null) {
        first = ranges.get(0).first();
        last = ranges.get(0).last();
        partial = true;
      }
    }
    writeHead(ex, head, status, false, clock.getAsLong());
    HeaderMap out = ex.getResponseHeaders();
    if (partial) {
      ex.setStatusCode(206);
      out.put(Headers.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + length);
    } else {
      ex.setStatusCode(head.status());
    }
    out.put(Headers.CONTENT_LENGTH, last - first + 1);
    new BodyStreamer(ex, List.of(BodyStreamer.Segment.of(body, first, last + 1)), 0).start();
    return true;
  }

  private void sendRanges(HttpServerExchange ex, StoredResponse r, int length, List<ByteRanges.Range> ranges) {
    HeaderMap out = ex.getResponseHeaders();
    if (ranges.isEmpty()) {
      ex.setStatusCode(416);
      out.put(Headers.CONTENT_RANGE, "bytes */" + length);
      out.remove(Headers.CONTENT_TYPE);
      out.put(Headers.CONTENT_LENGTH, 0);
      ex.endExchange();
      return;
    }
    ex.setStatusCode(206);
    if (ranges.size() == 1) {
      ByteRanges.Range range = ranges.get(0);
      out.put(Headers.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + length);
      out.put(Headers.CONTENT_LENGTH, range.length());
      sendBody(ex, r, (int) range.first(), (int) range.length());
      return;
    }
    String boundary = boundary();
    String type = r.headers().get("Content-Type");
    java.io.ByteArrayOutputStream multipart = new java.io.ByteArrayOutputStream();
    for (ByteRanges.Range range : ranges) {
      multipart.writeBytes(ByteRanges.partHead(boundary, type, range, length));
      int from = (int) range.first();
      int n = (int) range.length();
      if (r.lent()) {
        byte[] part = new byte[n];
        r.bodyBuffer().get(from, part);
        multipart.writeBytes(part);
      } else {
        multipart.write(r.bodyArray(), r.bodyOffset() + from, n);
      }
    }
    multipart.writeBytes(ByteRanges.closing(boundary));
    out.put(Headers.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
    out.put(Headers.CONTENT_LENGTH, multipart.size());
    ex.getResponseSender().send(ByteBuffer.wrap(multipart.toByteArray()));
  }

  /** A fresh multipart boundary. */
  String boundary() {
    return "cachalot" + Long.toHexString(System.nanoTime()) + Long.toHexString(boundaryCounter.incrementAndGet());
  }

  /** An error generated here (no origin response to show). */
  void error(HttpServerExchange ex, int status, String message, CacheStatus cacheStatus) {
    byte[] body = (status + " " + message + "\n").getBytes(StandardCharsets.UTF_8);
    ex.setStatusCode(status);
    HeaderMap out = ex.getResponseHeaders();
    out.clear();
    out.put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    out.put(Headers.CONTENT_LENGTH, body.length);
    out.put(Headers.DATE, HttpDates.format(clock.getAsLong()));
    out.put(Headers.VIA, viaToken);
    out.put(CACHE_STATUS, cacheStatus.toString());
    ex.getResponseSender().send(ByteBuffer.wrap(body));
  }

  /**
   * Streams an origin response through, blocking, on the calling (origin) thread. If the origin's body is cut
   * short, the client's connection is closed so that it sees the truncation, never a silently short response.
   */
  void stream(HttpServerExchange ex, OriginResponse live, byte[] prefix, CacheStatus cacheStatus, boolean head) {
    try (live) {
      ex.setStatusCode(live.status());
      HeaderMap out = ex.getResponseHeaders();
      HttpFields fields = live.headers().withoutHopByHop();
      String via = null;
      for (int i = 0; i < fields.size(); i++) {
        String n = fields.name(i);
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.equals("via")) {
          via = via == null ? fields.value(i) : via + ", " + fields.value(i);
        } else if (!lower.equals("cdn-cache-control") && !lower.equals("surrogate-control")) {
          out.add(HttpString.tryFromString(n), fields.value(i));
        }
      }
      out.put(Headers.VIA, via == null ? viaToken : via + ", " + viaToken);
      out.put(CACHE_STATUS, cacheStatus.toString());
      int s = live.status();
      if (head || s == 204 || s == 304 || s < 200) {
        ex.endExchange();
        return;
      }
      ex.startBlocking();
      OutputStream client = ex.getOutputStream();
      client.write(prefix);
      InputStream origin = live.body();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = origin.read(buf)) >= 0) {
        client.write(buf, 0, n);
      }
      client.close();
    } catch (IOException e) {
      // origin body cut short, or the client went away: either way the connection cannot be reused
      IoUtils.safeClose(ex.getConnection());
    }
  }

  private Rendered rendered(StoredResponse r) {
    Object cached = r.renderCache();
    if (cached instanceof Rendered rendered) {
      return rendered;
    }
    Rendered rendered = new Rendered(r.headers(), viaToken);
    r.renderCache(rendered);
    return rendered;
  }

  /** A stored response's outgoing fields, computed once per stored response. */
  private static final class Rendered {
    final HttpString[] names;
    final String[] values;
    final String via;
    // the Age and Cache-Status strings of the current second; benign races just recompute them
    private long ageFor = -1;
    private String ageText = "0";
    private long ttlFor = Long.MIN_VALUE;
    private String hitText = "";

    String age(long seconds) {
      if (seconds != ageFor) {
        ageText = Long.toString(seconds);
        ageFor = seconds;
      }
      return ageText;
    }

    String hitStatus(String name, long ttlSeconds) {
      if (ttlSeconds != ttlFor) {
        hitText = name + "; hit; ttl=" + ttlSeconds;
        ttlFor = ttlSeconds;
      }
      return hitText;
    }

    Rendered(HttpFields headers, String viaToken) {
      java.util.ArrayList<HttpString> n = new java.util.ArrayList<>();
      java.util.ArrayList<String> v = new java.util.ArrayList<>();
      String upstreamVia = null;
      for (int i = 0; i < headers.size(); i++) {
        String lower = headers.name(i).toLowerCase(Locale.ROOT);
        if (lower.equals("via")) {
          upstreamVia = upstreamVia == null ? headers.value(i) : upstreamVia + ", " + headers.value(i);
        } else if (!NOT_SENT.contains(lower)) {
          n.add(HttpString.tryFromString(headers.name(i)));
          v.add(headers.value(i));
        }
      }
      this.names = n.toArray(new HttpString[0]);
      this.values = v.toArray(new String[0]);
      this.via = upstreamVia == null ? viaToken : upstreamVia + ", " + viaToken;
    }
  }
}
