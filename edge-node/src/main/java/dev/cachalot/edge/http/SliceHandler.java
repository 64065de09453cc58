package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.LiveBody;
import dev.cachalot.edge.fill.OriginRequests;
import dev.cachalot.edge.fill.SliceFetcher;
import dev.cachalot.edge.fill.Slices;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.purge.PurgeRules;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.RemovalReason;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * Large objects are cached as fixed-size slices (see {@link Slices}). A GET or HEAD of a sliced object (whole, one
 * range, several, with or without If-Range) is answered from the slices it covers; only missing slices are fetched
 * from the origin, with {@code Range}, so a 1 MiB range of a 200 MiB video costs at most two slices. A cold
 * {@code bytes=a-b} range starts slicing the object. Slices still arriving are streamed as they come, and no
 * thread waits on the client.
 *
 * <p>Falls back to the whole-object path when the object is not sliced and cannot start here, when the origin
 * answers anything but a usable 206, or when the object is below the slicing threshold.
 */
public final class SliceHandler implements EdgeStage {
  private static final Pattern FIRST_KNOWN = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})");
  private static final HttpString CACHE_STATUS = HttpString.tryFromString("Cache-Status");
  private static final Set<String> NOT_SENT = Set.of("content-length", "content-range", "transfer-encoding",
      "age", "via", "x-cachalot-sliced-length", "cdn-cache-control", "surrogate-control");
  private static final Set<String> CLIENT_CONDITIONALS = Set.of("range", "if-range", "if-none-match",
      "if-modified-since", "if-match", "if-unmodified-since");
  /** Slices fetched at once for a cold range, at most. */
  private static final int MAX_PARALLEL = 4;

  private final EdgeContext edge;
  private final SliceFetcher fetcher;
  private @Nullable EdgeStage fallback;

  public SliceHandler(EdgeContext edge) {
    this.edge = edge;
    this.fetcher = edge.sliceFetcher;
  }

  /** The whole-object path, for what slicing does not handle. */
  public void fallback(EdgeStage stage) {
    this.fallback = stage;
  }

  /** Slicing is on and the request may be answered from a shared copy. */
  boolean applies(HttpServerExchange ex, EdgeExchange ctx) {
    return fetcher.sliceSize() > 0 && !ctx.requestCacheControl.noStore();
  }

  /**
   * Answers a request whose fill found the object large and is storing it as slices, described by
   * {@code description}: from its slices as they arrive.
   */
  void serveFill(HttpServerExchange ex, EdgeExchange ctx, StoredResponse description) {
    ctx.slicedFill = description;
    handle(ex, ctx);
  }

  @Override
  public void handle(HttpServerExchange ex, EdgeExchange ctx) {
    // on an I/O thread as far as the tiers answer at once (memory hits); from the first wait, on a blocking thread
    boolean mayBlock = !ex.isInIoThread();
    try {
      for (int attempt = 0; attempt < 2; attempt++) { // a second try after the object changed mid-fill
        Outcome o = serve(ex, ctx, mayBlock);
        if (o == Outcome.SERVED) {
          return;
        }
        if (o == Outcome.FALLBACK) {
          break;
        }
      }
      if (ctx.slicedFill != null) {
        // a fill handed this request its slices, and they were of another version twice: going round again
        // could not end
        edge.writer.error(ex, 502, "Bad Gateway: the object changed at the origin while it was being stored",
            CacheStatus.fwd(edge.name, "uri-miss").detail("changed"));
        return;
      }
      edge.sliceStats.fellBack();
      fallback(ex, ctx);
    } catch (WouldBlock w) {
      ex.dispatch(edge.offIo, () -> handle(ex, ctx));
    } catch (OriginException e) {
      if (!ex.isResponseStarted()) {
        edge.writer.error(ex, Handlers.statusFor(e), Handlers.messageFor(e),
            CacheStatus.fwd(edge.name, "uri-miss").detail(e.kind().name().toLowerCase(Locale.ROOT)));
      } else {
        IoUtils.safeClose(ex.getConnection());
      }
    } catch (RuntimeException e) {
      if (!ex.isResponseStarted()) {
        Handlers.fail(ex, edge, e);
      } else {
        IoUtils.safeClose(ex.getConnection());
      }
    }
  }

  private enum Outcome { SERVED, FALLBACK, CHANGED }

  /** Where serving on an I/O thread would have to wait: the request starts over on a blocking thread. */
  private static final class WouldBlock extends RuntimeException {
    WouldBlock() {
      super(null, null, false, false);
    }
  }

  private static final WouldBlock WOULD_BLOCK = new WouldBlock();

  /**
   * Whether the whole object was stored after this request found nothing: a fill that was in flight may have ended
   * between the lookup, on the I/O thread, and now. Blocking.
   */
  private boolean storedSince(EdgeExchange ctx) {
    return "uri-miss".equals(ctx.forwardReason) && edge.coalescer.endedRecently(ctx.key)
        && Handlers.entryOf(edge.cache.recheck(ctx.key)) != null;
  }

  /** The first byte of a plain {@code bytes=a-b} or {@code bytes=a-} range: where a cold object starts. */
  private static @Nullable Long coldStart(HttpServerExchange ex) {
    HeaderMap in = ex.getRequestHeaders();
    if (in.count(Headers.RANGE) != 1 || in.contains(Headers.IF_RANGE)) {
      return null;
    }
    Matcher m = FIRST_KNOWN.matcher(Objects.requireNonNull(in.getFirst(Headers.RANGE)));
    if (!m.matches() || !m.group(2).isEmpty() && Long.parseLong(m.group(2)) < Long.parseLong(m.group(1))) {
      return null; // an invalid range is ignored the ordinary way: a 200 of the whole object
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Finds the description and the first slices' fields, then starts the response.
   *
   * @param mayBlock whether to wait for what is not at hand; if not, {@link WouldBlock} is thrown instead
   */
  private Outcome serve(HttpServerExchange ex, EdgeExchange ctx, boolean mayBlock) throws OriginException {
    SliceFetcher.Target target = target(ex, ctx);
    CacheKey descriptionKey = Slices.descriptionKey(ctx.key);
    StoredResponse description = usable(descriptionKey, ctx.key, mayBlock);
    if (description == null) {
      description = ctx.slicedFill;
    }
    Map<Long, CompletableFuture<SliceFetcher.@Nullable Slice>> cold = new HashMap<>();
    if (description == null) {
      // only a known first byte starts slicing, and not while the whole object is being fetched (that fill is
      // followed instead)
      Long first = ctx.head ? null : coldStart(ex);
      if (first == null || edge.coalescer.inFlight(ctx.key)) {
        return Outcome.FALLBACK;
      }
      if (!mayBlock) {
        throw WOULD_BLOCK;
      }
      if (storedSince(ctx)) {
        return Outcome.FALLBACK; // its fill ended since this request's lookup: the whole-object path serves it
      }
      // the slices a range needs are known before the object's size: ask for them at once, in parallel
      long firstIndex = first / fetcher.sliceSize();
      Matcher m = FIRST_KNOWN.matcher(Objects.requireNonNull(ex.getRequestHeaders().getFirst(Headers.RANGE)));
      long last = m.matches() && !m.group(2).isEmpty() ? Long.parseLong(m.group(2)) : first;
      long lastIndex = Math.min(last / fetcher.sliceSize(), firstIndex + MAX_PARALLEL - 1);
      for (long i = firstIndex; i <= lastIndex; i++) {
        cold.put(i, fetcher.slice(target, i, null));
      }
      SliceFetcher.Slice head = join(Objects.requireNonNull(cold.get(firstIndex)), true);
      if (head == null || !head.storable() || head.total() <= fetcher.threshold()) {
        return Outcome.FALLBACK; // small, or not to be stored: the whole-object path does better
      }
      description = head.description();
    }
    long total = Slices.totalOf(description);
    HeaderMap in = ex.getRequestHeaders();
    int precondition = Preconditions.evaluate(in, description);
    if (precondition != 0) {
      ex.setStatusCode(precondition);
      ex.getResponseHeaders().put(CACHE_STATUS, CacheStatus.hit(edge.name).detail("sliced").toString());
      if (description.etag() != null) {
        ex.getResponseHeaders().put(Headers.ETAG, Objects.requireNonNull(description.etag()));
      }
      ex.endExchange();
      return Outcome.SERVED;
    }
    List<ByteRanges.Range> ranges = Preconditions.ifRangeMatches(in, description)
        ? ByteRanges.parse(EdgeExchange.joined(in, Headers.RANGE), total) : null;
    if (ranges != null && ranges.isEmpty()) {
      ex.setStatusCode(416);
      ex.getResponseHeaders().put(Headers.CONTENT_RANGE, "bytes */" + total);
      ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
      ex.endExchange();
      return Outcome.SERVED;
    }
    boolean whole = ranges == null;
    List<ByteRanges.Range> wanted = ranges == null ? List.of(new ByteRanges.Range(0, total - 1)) : ranges;
    // the fields of the first slices (those read ahead anyway) are had before anything is sent: a change found
    // there restarts cleanly; one found later can only cut the response. When the first slice is still arriving,
    // its bytes go out at once: the next slices cannot be known before it ends.
    List<Long> indexes = new ArrayList<>();
    for (ByteRanges.Range r : wanted) {
      for (long i = r.first() / fetcher.sliceSize(); i <= r.last() / fetcher.sliceSize(); i++) {
        indexes.add(i);
      }
    }
    boolean fromTiers = cold.isEmpty();
    for (int k = 0; !ctx.head && k < Math.min(indexes.size(), 1 + edge.sliceReadAhead); k++) {
      long index = indexes.get(k);
      CompletableFuture<SliceFetcher.@Nullable Slice> f = slice(cold, target, index, description);
      cold.put(index, f);
      SliceFetcher.Slice s = join(f, mayBlock);
      if (s == null || !Slices.sameVersion(s.description(), description)) {
        edge.cache.invalidate(descriptionKey, RemovalReason.INVALIDATED);
        return Outcome.CHANGED;
      }
      if (k == 0) {
        fromTiers &= s.fromTiers();
        if (!s.body().done()) {
          break;
        }
      }
    }
    StoredResponse described = description;
    List<BodyStreamer.Segment> segments = new ArrayList<>();
    String boundary = wanted.size() > 1 ? edge.writer.boundary() : null;
    for (ByteRanges.Range r : wanted) {
      if (boundary != null) {
        segments.add(BodyStreamer.Segment.of(ByteRanges.partHead(boundary, description.headers().get("Content-Type"),
            r, total)));
      }
      for (long i = r.first() / fetcher.sliceSize(); i <= r.last() / fetcher.sliceSize(); i++) {
        long index = i;
        long start = index * fetcher.sliceSize();
        segments.add(new BodyStreamer.Segment(() -> body(cold, target, index, described, descriptionKey),
            Math.max(r.first(), start) - start, Math.min(r.last() + 1, start + fetcher.sliceSize()) - start));
      }
    }
    if (boundary != null) {
      segments.add(BodyStreamer.Segment.of(ByteRanges.closing(boundary)));
    }
    long length = 0;
    for (BodyStreamer.Segment s : segments) {
      length += s.to() - s.from();
    }
    startResponse(ex, description, wanted, whole, boundary, length, fromTiers);
    if (ctx.head) {
      ex.endExchange();
    } else {
      new BodyStreamer(ex, segments, edge.sliceReadAhead).start();
    }
    return Outcome.SERVED;
  }

  /** A slice's bytes for the response; null (the response is cut) if the object changed since it began. */
  private CompletableFuture<@Nullable LiveBody> body(Map<Long, CompletableFuture<SliceFetcher.@Nullable Slice>> cold,
      SliceFetcher.Target target, long index, StoredResponse description, CacheKey descriptionKey) {
    return slice(cold, target, index, description).<@Nullable LiveBody>handle((s, e) -> {
      if (e != null || s == null || !Slices.sameVersion(s.description(), description)) {
        edge.cache.invalidate(descriptionKey, RemovalReason.INVALIDATED);
        return null;
      }
      edge.sliceStats.sliceServed();
      return s.body();
    });
  }

  private CompletableFuture<SliceFetcher.@Nullable Slice> slice(
      Map<Long, CompletableFuture<SliceFetcher.@Nullable Slice>> cold, SliceFetcher.Target target, long index,
      StoredResponse description) {
    CompletableFuture<SliceFetcher.@Nullable Slice> started = cold.get(index);
    return started != null ? started : fetcher.slice(target, index, description);
  }

  /** What slice fetches need; the origin request is built only if a slice is fetched. */
  private SliceFetcher.Target target(HttpServerExchange ex, EdgeExchange ctx) {
    var facts = new StoragePolicy.RequestFacts(ctx.key.host(), ex.getRequestHeaders().contains(Headers.AUTHORIZATION),
        ctx.requestCacheControl);
    return new SliceFetcher.Target(ctx.key, () -> OriginRequests.forPass("GET", ctx.target, ctx.host,
        EdgeExchange.snapshot(ex.getRequestHeaders()).without(CLIENT_CONDITIONALS), null, edge.name), facts,
        () -> usable(Slices.descriptionKey(ctx.key), ctx.key, true));
  }

  /** The stored description, if it is fresh and not purged. */
  private @Nullable StoredResponse usable(CacheKey descriptionKey, CacheKey objectKey, boolean mayBlock) {
    StoredResponse meta;
    CompletableFuture<@Nullable CacheEntry> lookup = edge.cache.lookup(descriptionKey);
    if (!mayBlock && !lookup.isDone()) {
      throw WOULD_BLOCK;
    }
    try {
      CacheEntry e = lookup.get(10, TimeUnit.SECONDS);
      meta = e == null ? null : e.invariant();
    } catch (Exception e) {
      return null;
    }
    if (meta == null || !meta.freshness().isFresh(edge.clock.getAsLong())
        || edge.purges.verdict(objectKey, meta) != PurgeRules.Verdict.NONE) {
      return null;
    }
    return meta;
  }

  /** The slice, or its origin failure rethrown as such. */
  private static SliceFetcher.@Nullable Slice join(CompletableFuture<SliceFetcher.@Nullable Slice> f,
      boolean mayBlock) throws OriginException {
    if (!mayBlock && !f.isDone()) {
      throw WOULD_BLOCK;
    }
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof OriginException o) {
        throw o;
      }
      throw e;
    }
  }

  private void startResponse(HttpServerExchange ex, StoredResponse meta, List<ByteRanges.Range> ranges,
      boolean whole, @Nullable String boundary, long length, boolean fromTiers) {
    HeaderMap out = ex.getResponseHeaders();
    HttpFields h = meta.headers();
    for (int i = 0; i < h.size(); i++) {
      String lower = h.name(i).toLowerCase(Locale.ROOT);
      if (!NOT_SENT.contains(lower) && !(boundary != null && lower.equals("content-type"))) {
        out.add(HttpString.tryFromString(h.name(i)), h.value(i));
      }
    }
    long now = edge.clock.getAsLong();
    out.put(Headers.AGE, meta.freshness().ageSeconds(now));
    out.put(Headers.VIA, "1.1 " + edge.name);
    CacheStatus cs = fromTiers ? CacheStatus.hit(edge.name) : CacheStatus.fwd(edge.name, "uri-miss").fwdStatus(206)
        .stored();
    out.put(CACHE_STATUS, cs.detail("sliced").ttl(meta.freshness().ttlMillis(now)).toString());
    out.put(Headers.ACCEPT_RANGES, "bytes");
    if (boundary != null) {
      out.put(Headers.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
    } else if (!whole) {
      ByteRanges.Range r = ranges.get(0);
      out.put(Headers.CONTENT_RANGE, "bytes " + r.first() + "-" + r.last() + "/" + Slices.totalOf(meta));
    }
    out.put(Headers.CONTENT_LENGTH, length);
    ex.setStatusCode(whole ? 200 : 206);
  }

  private void fallback(HttpServerExchange ex, EdgeExchange ctx) {
    try {
      Objects.requireNonNull(fallback, "fallback not wired").handle(ex, ctx);
    } catch (Exception e) {
      Handlers.fail(ex, edge, e);
    }
  }
}
