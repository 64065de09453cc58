package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.FillOutcome;
import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.fill.OriginRequests;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.purge.PurgeRules;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginException;
import dev.cachalot.origin.OriginRequest;
import dev.cachalot.origin.OriginResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * Large objects asked for by range are cached as fixed-size slices: a single-range GET that misses is answered
 * from the slices it covers, and only the missing slices are fetched from the origin (with {@code Range}), so a
 * 1 MiB range of a 200 MiB video costs at most two slices at the origin. The object's description (headers,
 * validators, length, freshness) is kept under its own key; a slice counts only if its validators and length match
 * it, so slices of two versions never mix: a changed ETag drops the description and the fill starts over.
 *
 * <p>Falls back to the ordinary path (whole-object fill) when the origin ignores {@code Range}, answers anything but
 * 206, or the object is below the slicing threshold.
 */
public final class SliceHandler implements EdgeStage {
  private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})");
  private static final Pattern SUFFIX_RANGE = Pattern.compile("bytes=-(\\d{1,18})");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
  private static final String LENGTH_FIELD = "X-Cachalot-Sliced-Length";
  private static final HttpString CACHE_STATUS = HttpString.tryFromString("Cache-Status");
  private static final Set<String> NOT_SENT = Set.of("content-length", "content-range", "transfer-encoding",
      "age", "via", "x-cachalot-sliced-length", "cdn-cache-control", "surrogate-control");

  private final EdgeStage fallback;
  private final EdgeContext edge;
  private final SliceStats stats;
  private final long sliceSize;
  private final long threshold;

  /** {@code fallback}: the whole-object path, for what slicing does not handle. */
  public SliceHandler(EdgeStage fallback, EdgeContext edge) {
    this.fallback = fallback;
    this.edge = edge;
    this.stats = edge.sliceStats;
    this.sliceSize = edge.sliceSize;
    this.threshold = edge.sliceThreshold;
  }

  /**
   * A GET without If-Range, whole or with one {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} range. A
   * whole GET or a suffix is answered from slices only when the object is already sliced (else the fallback).
   */
  boolean applies(HttpServerExchange ex, EdgeExchange ctx) {
    if (sliceSize <= 0 || ctx.head || ctx.requestCacheControl.noStore()) {
      return false;
    }
    HeaderMap in = ex.getRequestHeaders();
    String range = in.getFirst(Headers.RANGE);
    if (in.contains(Headers.IF_RANGE)) {
      return false;
    }
    if (range == null) {
      return true;
    }
    if (in.count(Headers.RANGE) != 1) {
      return false;
    }
    Matcher m = SINGLE_RANGE.matcher(range);
    if (m.matches()) {
      // an invalid range (last before first) is ignored the ordinary way: a 200 of the whole object
      return m.group(2).isEmpty() || Long.parseLong(m.group(2)) >= Long.parseLong(m.group(1));
    }
    return SUFFIX_RANGE.matcher(range).matches();
  }

  @Override
  public void handle(HttpServerExchange ex, EdgeExchange ctx) {
    if (ex.isInIoThread()) {
      if (!SINGLE_RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst(Headers.RANGE))).matches()) {
        // a whole GET or a suffix is sliced only if the object already is: when the memory tier says at once that
        // it is not (the usual miss), carry on down the whole-object path without a thread hop
        var meta = edge.cache.lookup(CacheKeyFactory.slice(ctx.key, -1));
        if (meta.isDone() && !meta.isCompletedExceptionally() && meta.getNow(null) == null) {
          fallback(ex, ctx);
          return;
        }
      }
      ex.dispatch(edge.offIo, () -> handle(ex, ctx)); // slices are looked up and fetched with blocking calls
      return;
    }
    String range = ex.getRequestHeaders().getFirst(Headers.RANGE);
    Matcher m = range == null ? null : SINGLE_RANGE.matcher(range);
    Matcher suffix = range == null ? null : SUFFIX_RANGE.matcher(range);
    long first;
    long last;
    Mode mode;
    if (m != null && m.matches()) {
      first = Long.parseLong(m.group(1));
      last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      mode = Mode.RANGE;
    } else if (suffix != null && suffix.matches()) {
      first = -Long.parseLong(suffix.group(1)); // resolved against the length once it is known
      last = Long.MAX_VALUE;
      mode = Mode.SUFFIX;
    } else {
      first = 0;
      last = Long.MAX_VALUE;
      mode = Mode.WHOLE;
    }
    try {
      for (int attempt = 0; attempt < 2; attempt++) { // a second try after the object changed mid-fill
        Outcome o = serve(ex, ctx, first, last, mode);
        if (o != Outcome.CHANGED) {
          if (o == Outcome.FALLBACK) {
            stats.fallbacks.increment();
            fallback(ex, ctx);
          }
          return;
        }
      }
      fallback(ex, ctx);
    } catch (OriginException e) {
      if (!ex.isResponseStarted()) {
        edge.writer.error(ex, Handlers.statusFor(e), Handlers.messageFor(e),
            CacheStatus.fwd(edge.name, "uri-miss").detail(e.kind().name().toLowerCase(Locale.ROOT)));
      } else {
        IoUtils.safeClose(ex.getConnection());
      }
    } catch (IOException | RuntimeException e) {
      if (!ex.isResponseStarted()) {
        Handlers.fail(ex, edge, e);
      } else {
        IoUtils.safeClose(ex.getConnection()); // the client went away, or a slice could not be read
      }
    }
  }

  private enum Outcome { SERVED, FALLBACK, CHANGED }

  /** What the client asked for: a range, a suffix of the object, or all of it. */
  private enum Mode { RANGE, SUFFIX, WHOLE }

  private Outcome serve(HttpServerExchange ex, EdgeExchange ctx, long first, long last, Mode mode)
      throws IOException {
    CacheKey metaKey = CacheKeyFactory.slice(ctx.key, -1);
    StoredResponse meta = usable(metaKey, ctx.key);
    if (meta == null && mode != Mode.RANGE) {
      return Outcome.FALLBACK; // whole GETs and suffixes start slicing only through an ordinary range
    }
    if (meta != null) {
      int precondition = Preconditions.evaluate(ex.getRequestHeaders(), meta);
      if (precondition != 0) {
        ex.setStatusCode(precondition);
        ex.getResponseHeaders().put(CACHE_STATUS, CacheStatus.hit(edge.name).detail("sliced").toString());
        if (meta.etag() != null) {
          ex.getResponseHeaders().put(Headers.ETAG, Objects.requireNonNull(meta.etag()));
        }
        ex.endExchange();
        return Outcome.SERVED;
      }
      if (mode == Mode.SUFFIX) {
        first = Math.max(0, totalOf(meta) + first);
      }
    }
    boolean allStored = meta != null;
    java.util.Map<Long, byte[]> fetched = new java.util.HashMap<>();
    if (meta == null) {
      // the slices the range needs are known before the object's size: fetch them at once, in parallel
      long lastIndex = last == Long.MAX_VALUE ? first / sliceSize : Math.min(last / sliceSize,
          first / sliceSize + MAX_PARALLEL - 1);
      java.util.List<java.util.concurrent.CompletableFuture<@Nullable Fetched>> calls = new java.util.ArrayList<>();
      for (long index = first / sliceSize; index <= lastIndex; index++) {
        long i = index;
        calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> fetchUnchecked(ex, ctx, i),
            edge.blockingPool()));
      }
      Fetched head = join(calls.get(0));
      if (head == null) {
        return Outcome.FALLBACK;
      }
      meta = head.meta();
      if (head.total() <= threshold || !head.storable()) {
        // small, or not to be stored: the whole-object path does better (and stores it whole)
        return Outcome.FALLBACK;
      }
      edge.cache.store(metaKey, meta);
      for (int k = 0; k < calls.size(); k++) {
        Fetched f = k == 0 ? head : join(calls.get(k));
        long index = first / sliceSize + k;
        if (f == null || !sameVersion(f.meta(), meta)) {
          break; // past the end of the object, or another version: fetched again below
        }
        edge.cache.store(CacheKeyFactory.slice(ctx.key, index), sliceEntry(meta, f.body()));
        fetched.put(index, f.body());
      }
    }
    long total = totalOf(meta);
    if (first >= total) {
      ex.setStatusCode(416);
      ex.getResponseHeaders().put(Headers.CONTENT_RANGE, "bytes */" + total);
      ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
      ex.endExchange();
      return Outcome.SERVED;
    }
    long end = Math.min(last, total - 1);
    long firstIndex = first / sliceSize;
    int count = (int) (end / sliceSize - firstIndex + 1);
    // the first slice is found or fetched before anything is sent: a change found there restarts cleanly
    byte[] head = sliceBody(ex, ctx, metaKey, meta, firstIndex, fetched);
    if (head == null) {
      return Outcome.CHANGED;
    }
    boolean fromTiers = allStored && !fetched.containsKey(firstIndex);
    OutputStream client = startResponse(ex, meta, first, end, total, fromTiers, mode == Mode.WHOLE);
    // then slice after slice, each sent as soon as it is at hand: one slice in memory, first bytes early
    long pos = first;
    for (int i = 0; i < count; i++) {
      long index = firstIndex + i;
      byte[] body = i == 0 ? head : sliceBody(ex, ctx, metaKey, meta, index, fetched);
      if (body == null) {
        // the object changed after the response began: cut it rather than send two versions
        IoUtils.safeClose(ex.getConnection());
        return Outcome.SERVED;
      }
      long sliceStart = index * sliceSize;
      int from = (int) (pos - sliceStart);
      int to = (int) Math.min(body.length, end - sliceStart + 1);
      client.write(body, from, to - from);
      stats.served.increment();
      pos = sliceStart + to;
    }
    client.close();
    return Outcome.SERVED;
  }

  /** A slice of the described version, from the tiers or the origin; null if the origin has another version. */
  private byte @Nullable [] sliceBody(HttpServerExchange ex, EdgeExchange ctx, CacheKey metaKey,
      StoredResponse meta, long index, java.util.Map<Long, byte[]> fetched) throws IOException {
    byte[] just = fetched.get(index);
    if (just != null) {
      return just;
    }
    StoredResponse slice = lookup(CacheKeyFactory.slice(ctx.key, index));
    if (slice != null && sameVersion(slice, meta)) {
      return slice.body();
    }
    Fetched f = fetchCoalesced(ex, ctx, index, meta);
    if (f == null || !sameVersion(f.meta(), meta)) {
      edge.cache.invalidate(metaKey, dev.cachalot.edge.tier.RemovalReason.INVALIDATED);
      return null;
    }
    edge.cache.store(CacheKeyFactory.slice(ctx.key, index), sliceEntry(meta, f.body()));
    return f.body();
  }

  /** The stored description, if it is fresh and not purged. */
  private @Nullable StoredResponse usable(CacheKey metaKey, CacheKey objectKey) {
    StoredResponse meta = lookup(metaKey);
    if (meta == null || !meta.freshness().isFresh(edge.clock.getAsLong())
        || edge.purges.verdict(objectKey, meta) != PurgeRules.Verdict.NONE) {
      return null;
    }
    return meta;
  }

  private @Nullable StoredResponse lookup(CacheKey key) {
    try {
      CacheEntry e = edge.cache.lookup(key).get(10, TimeUnit.SECONDS);
      return e == null ? null : e.invariant();
    } catch (Exception e) {
      return null;
    }
  }

  private record Fetched(StoredResponse meta, byte[] body, long total, boolean storable) {}

  /** Slices fetched at once for a cold range, at most. */
  private static final int MAX_PARALLEL = 4;

  private @Nullable Fetched fetchUnchecked(HttpServerExchange ex, EdgeExchange ctx, long index) {
    try {
      return fetchCoalesced(ex, ctx, index, null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The fetch's result; its I/O failure is rethrown as such. */
  private static @Nullable Fetched join(java.util.concurrent.CompletableFuture<@Nullable Fetched> call)
      throws IOException {
    try {
      return call.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.io.UncheckedIOException u) {
        throw u.getCause();
      }
      throw e;
    }
  }


  /**
   * One origin fetch per slice however many requests need it at once: the first leads, the others wait for its
   * slice (the description's fields and the body travel in the outcome) and fetch themselves only if it failed.
   */
  private @Nullable Fetched fetchCoalesced(HttpServerExchange ex, EdgeExchange ctx, long index,
      @Nullable StoredResponse meta) throws IOException {
    MissCoalescer.Ticket ticket = edge.coalescer.join(CacheKeyFactory.slice(ctx.key, index));
    if (!ticket.leader()) {
      stats.waits.increment();
      try {
        FillOutcome o = edge.coalescer.await(ticket).get();
        StoredResponse shared = o.response();
        if (o.kind() == FillOutcome.Kind.STORED && shared != null) {
          StoredResponse described = new StoredResponse(200, shared.headers(), new byte[0], shared.freshness(),
              Variance.NONE, shared.storedAtMillis());
          return new Fetched(described, shared.body(), totalOf(shared), true);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        // the leader failed or took too long: fetch it ourselves
      }
      return fetchSlice(ex, ctx, index, meta);
    }
    Fetched f = null;
    try {
      // a leader that came just after another one finished finds its slice stored
      StoredResponse storedMeta = meta != null ? meta : lookup(CacheKeyFactory.slice(ctx.key, -1));
      StoredResponse storedSlice = storedMeta == null ? null : lookup(CacheKeyFactory.slice(ctx.key, index));
      if (storedMeta != null && storedSlice != null && sameVersion(storedSlice, storedMeta)) {
        f = new Fetched(storedMeta, storedSlice.body(), totalOf(storedMeta), true);
        return f;
      }
      f = fetchSlice(ex, ctx, index, meta);
      if (f != null && f.storable() && f.total() > threshold
          && (meta == null || sameVersion(f.meta(), meta))) {
        // stored before the waiters are released, so a request arriving just after finds it in the tiers
        if (meta == null) {
          edge.cache.store(CacheKeyFactory.slice(ctx.key, -1), f.meta());
        }
        edge.cache.store(CacheKeyFactory.slice(ctx.key, index), sliceEntry(meta == null ? f.meta() : meta,
            f.body()));
      }
      return f;
    } finally {
      edge.coalescer.complete(ticket, f != null && f.storable()
          ? FillOutcome.stored(new StoredResponse(206, f.meta().headers(), f.body(), f.meta().freshness(),
              Variance.NONE, f.meta().storedAtMillis()))
          : FillOutcome.failed(null));
    }
  }

  /** GETs one slice; null when the origin does not answer 206 with a usable Content-Range. */
  private @Nullable Fetched fetchSlice(HttpServerExchange ex, EdgeExchange ctx, long index,
      @Nullable StoredResponse meta) throws IOException {
    long from = index * sliceSize;
    long to = from + sliceSize - 1;
    if (meta != null) {
      to = Math.min(to, totalOf(meta) - 1);
    }
    HttpFields client = EdgeExchange.snapshot(ex.getRequestHeaders()).without(Set.of("range", "if-range",
        "if-none-match", "if-modified-since", "if-match", "if-unmodified-since"));
    OriginRequest base = OriginRequests.forPass("GET", ctx.target, ctx.host, client, null, edge.name);
    OriginRequest request = OriginRequest.get(base.target(), base.host(),
        base.headers().toBuilder().set("Range", "bytes=" + from + "-" + to).build());
    long requestTime = edge.clock.getAsLong();
    OriginResponse r;
    try {
      r = edge.origin.fetch(request).get(5, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      throw dev.cachalot.edge.fill.Filler.originError(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new OriginException(OriginException.Kind.READ_TIMEOUT, false, "slice fetch timed out");
    }
    try (r) {
      if (r.status() == 200 && r.contentLength() > threshold && r.headers().get("Vary") == null) {
        return sliceWholeBody(ex, ctx, r, index, requestTime);
      }
      String cr = r.headers().get("Content-Range");
      Matcher m = cr == null ? null : CONTENT_RANGE.matcher(cr);
      if (r.status() != 206 || m == null || !m.matches() || Long.parseLong(m.group(1)) != from
          || r.headers().get("Vary") != null) {
        return null;
      }
      long total = Long.parseLong(m.group(3));
      long expected = Long.parseLong(m.group(2)) - from + 1;
      InputStream in = r.body();
      byte[] body = in.readNBytes((int) expected);
      if (body.length != expected) {
        throw new OriginException(OriginException.Kind.PROTOCOL, false,
            "slice ended after " + body.length + " of " + expected + " bytes");
      }
      stats.fetched.increment();
      stats.originBytes.add(body.length);
      long responseTime = edge.clock.getAsLong();
      HttpFields.Builder h = r.headers().withoutHopByHop().toBuilder();
      h.remove("Content-Range").remove("Content-Length").set(LENGTH_FIELD, Long.toString(total));
      HttpFields headers = h.build();
      StoragePolicy.Decision d = edge.storage.evaluate(200, headers,
          new StoragePolicy.RequestFacts(ctx.key.host(), ex.getRequestHeaders().contains(Headers.AUTHORIZATION),
              ctx.requestCacheControl), requestTime, responseTime);
      Freshness freshness = d.freshness() != null ? d.freshness() : new Freshness(0, 0, responseTime, 0, 0, 0);
      StoredResponse described = new StoredResponse(200, d.storable() ? d.headers() : headers, new byte[0],
          freshness, Variance.NONE, responseTime);
      return new Fetched(described, body, total, d.storable());
    }
  }

  /**
   * The origin ignored Range and sent the whole object: cut it into slices as it arrives (one slice in memory at
   * a time), store them all, and keep the one asked for.
   */
  private @Nullable Fetched sliceWholeBody(HttpServerExchange ex, EdgeExchange ctx, OriginResponse r, long index,
      long requestTime) throws IOException {
    long total = r.contentLength();
    long responseTime = edge.clock.getAsLong();
    HttpFields headers = r.headers().withoutHopByHop().toBuilder().remove("Content-Length")
        .set(LENGTH_FIELD, Long.toString(total)).build();
    StoragePolicy.Decision d = edge.storage.evaluate(200, headers,
        new StoragePolicy.RequestFacts(ctx.key.host(), ex.getRequestHeaders().contains(Headers.AUTHORIZATION),
            ctx.requestCacheControl), requestTime, responseTime);
    Freshness freshness = d.freshness();
    if (!d.storable() || freshness == null) {
      return null;
    }
    StoredResponse meta = new StoredResponse(200, d.headers(), new byte[0], freshness, Variance.NONE, responseTime);
    InputStream in = r.body();
    byte[] wanted = null;
    long slices = (total + sliceSize - 1) / sliceSize;
    for (long k = 0; k < slices; k++) {
      int length = (int) Math.min(sliceSize, total - k * sliceSize);
      byte[] chunk = in.readNBytes(length);
      if (chunk.length != length) {
        throw new OriginException(OriginException.Kind.PROTOCOL, false,
            "body ended after " + (k * sliceSize + chunk.length) + " of " + total + " bytes");
      }
      edge.cache.store(CacheKeyFactory.slice(ctx.key, k), sliceEntry(meta, chunk));
      stats.fetched.increment();
      stats.originBytes.add(length);
      if (k == index) {
        wanted = chunk;
      }
    }
    edge.cache.store(CacheKeyFactory.slice(ctx.key, -1), meta); // last: the slices it describes are all there
    return wanted == null ? null : new Fetched(meta, wanted, total, true);
  }

  private static StoredResponse sliceEntry(StoredResponse meta, byte[] body) {
    HttpFields.Builder h = HttpFields.builder().add(LENGTH_FIELD, Long.toString(totalOf(meta)));
    String etag = meta.etag();
    if (etag != null) {
      h.add("ETag", etag);
    }
    String lm = meta.headers().get("Last-Modified");
    if (lm != null) {
      h.add("Last-Modified", lm);
    }
    return new StoredResponse(206, h.build(), body, meta.freshness(), Variance.NONE, meta.storedAtMillis());
  }

  private static long totalOf(StoredResponse r) {
    String v = r.headers().get(LENGTH_FIELD);
    return v == null ? -1 : Long.parseLong(v);
  }

  /** Same length and the same ETag (or, without one, the same Last-Modified). */
  private static boolean sameVersion(StoredResponse a, StoredResponse b) {
    if (totalOf(a) != totalOf(b)) {
      return false;
    }
    if (a.etag() != null || b.etag() != null) {
      return Objects.equals(a.etag(), b.etag()) && !Objects.requireNonNull(a.etag()).startsWith("W/");
    }
    return Objects.equals(a.headers().get("Last-Modified"), b.headers().get("Last-Modified"))
        && a.headers().get("Last-Modified") != null;
  }

  private OutputStream startResponse(HttpServerExchange ex, StoredResponse meta, long first, long end, long total,
      boolean fromTiers, boolean whole) {
    HeaderMap out = ex.getResponseHeaders();
    HttpFields h = meta.headers();
    for (int i = 0; i < h.size(); i++) {
      if (!NOT_SENT.contains(h.name(i).toLowerCase(Locale.ROOT))) {
        out.add(HttpString.tryFromString(h.name(i)), h.value(i));
      }
    }
    long now = edge.clock.getAsLong();
    out.put(Headers.AGE, meta.freshness().ageSeconds(now));
    out.put(Headers.VIA, "1.1 " + edge.name);
    CacheStatus cs = fromTiers ? CacheStatus.hit(edge.name) : CacheStatus.fwd(edge.name, "uri-miss").fwdStatus(206)
        .stored();
    if (whole) {
      out.put(Headers.ACCEPT_RANGES, "bytes");
    }
    out.put(CACHE_STATUS, cs.detail("sliced").ttl(meta.freshness().ttlMillis(now)).toString());
    if (!whole) {
      out.put(Headers.CONTENT_RANGE, "bytes " + first + "-" + end + "/" + total);
    }
    out.put(Headers.CONTENT_LENGTH, end - first + 1);
    ex.setStatusCode(whole ? 200 : 206);
    ex.startBlocking();
    return ex.getOutputStream();
  }

  private void fallback(HttpServerExchange ex, EdgeExchange ctx) {
    try {
      fallback.handle(ex, ctx);
    } catch (Exception e) {
      Handlers.fail(ex, edge, e);
    }
  }
}
