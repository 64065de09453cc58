package dev.cachalot.edge.fill;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginClient;
import dev.cachalot.origin.OriginException;
import dev.cachalot.origin.OriginRequest;
import dev.cachalot.origin.OriginResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Slices of large objects: from the tiers when stored, else from the origin with {@code Range}, one fetch per
 * slice however many requests need it. A slice is handed out as soon as its fields are in, and its bytes as they
 * arrive. A fetch is read to its end and stored even if the request that started it has gone.
 */
public final class SliceFetcher {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final OriginClient origin;
  private final CacheTier cache;
  private final StoragePolicy storage;
  private final MissCoalescer coalescer;
  private final LongSupplier clock;
  private final Executor blocking;
  private final SliceStats stats;
  private final long sliceSize;
  private final long threshold;

  public SliceFetcher(OriginClient origin, CacheTier cache, StoragePolicy storage, MissCoalescer coalescer,
      LongSupplier clock, Executor blocking, SliceStats stats, long sliceSize, long threshold) {
    this.origin = origin;
    this.cache = cache;
    this.storage = storage;
    this.coalescer = coalescer;
    this.clock = clock;
    this.blocking = blocking;
    this.stats = stats;
    this.sliceSize = sliceSize;
    this.threshold = threshold;
  }

  /**
   * Whose object a slice belongs to, and what goes to the origin for it.
   *
   * @param request builds the client's GET, without its ranges and conditionals (only if a slice is fetched)
   * @param storedDescription the object's description as stored now, if it may be used (fresh, not purged); may
   *     block, and is asked only on a thread that may
   */
  public record Target(CacheKey key, java.util.function.Supplier<OriginRequest> request,
      StoragePolicy.RequestFacts facts,
      java.util.function.Supplier<@Nullable StoredResponse> storedDescription) {}

  /**
   * One slice.
   *
   * @param description the object's description for the version the slice belongs to
   * @param body the slice's bytes, complete or still arriving
   * @param storable whether the object may be stored (else it is answered once, never stored)
   * @param fromTiers found stored, not fetched
   */
  public record Slice(StoredResponse description, LiveBody body, boolean storable, boolean fromTiers) {
    public long total() {
      return Slices.totalOf(description);
    }
  }

  public long sliceSize() {
    return sliceSize;
  }

  /** Objects larger than this are sliced. */
  public long threshold() {
    return threshold;
  }

  /**
   * Slice {@code index} of {@code description}'s version: from the tiers, or fetched. Completes when the slice's
   * fields are known, before its bytes; with null when the origin does not answer with that slice (it ignored
   * Range for a small object, sent Vary, or the slice is past the end). Origin failures complete it exceptionally.
   *
   * @param description the stored description, or null for a cold object (nothing is looked up)
   */
  public CompletableFuture<@Nullable Slice> slice(Target t, long index, @Nullable StoredResponse description) {
    if (description == null) {
      return coalesced(t, index, null);
    }
    return stored(t, index, description).<@Nullable Slice>thenCompose(s -> s != null
        ? CompletableFuture.<@Nullable Slice>completedFuture(fromTiers(description, s))
        : coalesced(t, index, description));
  }

  /** The slice as stored in the tiers for {@code description}'s version, or null. */
  private CompletableFuture<@Nullable StoredResponse> stored(Target t, long index, StoredResponse description) {
    return cache.lookup(Slices.sliceKey(t.key(), index)).<@Nullable StoredResponse>handle((CacheEntry e,
        Throwable error) -> {
      StoredResponse s = error == null && e != null ? e.invariant() : null;
      return s != null && Slices.sameVersion(s, description) ? s : null;
    });
  }

  private static Slice fromTiers(StoredResponse description, StoredResponse stored) {
    return new Slice(description, LiveBody.complete(stored.bodyArray(), stored.bodyOffset(), stored.bodyLength()),
        true, true);
  }

  private CompletableFuture<@Nullable Slice> coalesced(Target t, long index, @Nullable StoredResponse description) {
    MissCoalescer.Ticket ticket = coalescer.join(Slices.sliceKey(t.key(), index));
    if (ticket.leader()) {
      // a cold request's fill may have been overtaken: another stored the object and its slices since it looked
      StoredResponse now = description == null ? t.storedDescription().get() : description;
      return now == null ? fetch(t, index, null, ticket) : storedMeanwhile(t, index, now, ticket);
    }
    stats.waited();
    return coalescer.await(ticket).handle((FillOutcome o, Throwable e) -> {
      LiveFill live = e == null ? o.live() : null;
      if (live != null) {
        return CompletableFuture.<@Nullable Slice>completedFuture(new Slice(live.head(), live.body(), true, false));
      }
      StoredResponse r = e == null && o.kind() == FillOutcome.Kind.STORED ? o.response() : null;
      if (r != null) {
        StoredResponse described = new StoredResponse(200, r.headers(), new byte[0], r.freshness(), Variance.NONE,
            r.storedAtMillis());
        return CompletableFuture.<@Nullable Slice>completedFuture(new Slice(described,
            LiveBody.complete(r.bodyArray(), r.bodyOffset(), r.bodyLength()), true, false));
      }
      return fetch(t, index, description, null); // the leader failed or took too long: alone
    }).<@Nullable Slice>thenCompose(f -> f);
  }

  /**
   * A leader's second look at the tiers: the fill it would start may have stored the slice and ended between this
   * request's lookup and its join, and fetching it again would read the slice from the origin twice.
   */
  private CompletableFuture<@Nullable Slice> storedMeanwhile(Target t, long index, StoredResponse description,
      MissCoalescer.Ticket ticket) {
    return stored(t, index, description).<@Nullable Slice>thenCompose(s -> {
      if (s == null) {
        return fetch(t, index, description, ticket);
      }
      coalescer.complete(ticket, FillOutcome.stored(s));
      return CompletableFuture.<@Nullable Slice>completedFuture(fromTiers(description, s));
    });
  }

  private CompletableFuture<@Nullable Slice> fetch(Target t, long index, @Nullable StoredResponse description,
      MissCoalescer.@Nullable Ticket ticket) {
    long from = index * sliceSize;
    long to = from + sliceSize - 1;
    if (description != null) {
      to = Math.min(to, Slices.totalOf(description) - 1);
    }
    OriginRequest base = t.request().get();
    OriginRequest ranged = OriginRequest.get(base.target(), base.host(),
        base.headers().toBuilder().set("Range", "bytes=" + from + "-" + to).build());
    CompletableFuture<@Nullable Slice> result = new CompletableFuture<>();
    long requestTime = clock.getAsLong();
    origin.fetch(ranged).whenCompleteAsync((r, error) -> {
      if (error != null) {
        OriginException e = Filler.originError(error);
        complete(ticket, FillOutcome.failed(e));
        result.completeExceptionally(e);
        return;
      }
      try (r) {
        read(t, index, description, ticket, r, requestTime, result);
      } catch (IOException | RuntimeException e) {
        complete(ticket, FillOutcome.failed(e));
        result.completeExceptionally(e instanceof IOException io ? OriginException.classify(io, true) : e);
      }
    }, blocking);
    return result;
  }

  /** Reads one answer to a slice request, on a thread that may block; hands the slice out before its bytes. */
  private void read(Target t, long index, @Nullable StoredResponse description, MissCoalescer.@Nullable Ticket ticket,
      OriginResponse r, long requestTime, CompletableFuture<@Nullable Slice> result) throws IOException {
    long responseTime = clock.getAsLong();
    if (r.status() == 200 && r.contentLength() > threshold && r.headers().get("Vary") == null) {
      // the origin ignored Range: keep the whole body, as slices
      Described d = describe(r.headers(), r.contentLength(), t.facts(), requestTime, responseTime);
      if (!d.storable() || !Slices.versioned(r.headers())) {
        complete(ticket, FillOutcome.failed(null));
        result.complete(null);
        return;
      }
      storeWhole(t.key(), d.description(), r.body(), index, ticket, (k, live) -> {
        if (k == index) {
          result.complete(new Slice(live.head(), live.body(), true, false));
        }
      });
      result.complete(null); // past the end
      return;
    }
    String cr = r.headers().get("Content-Range");
    Matcher m = cr == null ? null : CONTENT_RANGE.matcher(cr);
    if (r.status() != 206 || m == null || !m.matches() || Long.parseLong(m.group(1)) != index * sliceSize
        || r.headers().get("Vary") != null) {
      complete(ticket, FillOutcome.failed(null));
      result.complete(null);
      return;
    }
    long total = Long.parseLong(m.group(3));
    int expected = Math.toIntExact(Long.parseLong(m.group(2)) - index * sliceSize + 1);
    Described d = describe(r.headers(), total, t.facts(), requestTime, responseTime);
    StoredResponse described = d.description();
    LiveBody body = new LiveBody(expected);
    boolean keep = d.storable() && total > threshold
        && (description == null || Slices.sameVersion(described, description));
    if (keep && description == null) {
      cache.store(Slices.descriptionKey(t.key()), described); // now: requests arriving meanwhile follow this fetch
    }
    if (keep && ticket != null) {
      coalescer.started(ticket, FillOutcome.streaming(new LiveFill(described, body)));
    }
    result.complete(new Slice(described, body, d.storable(), false));
    body.readAll(r.body());
    stats.sliceFetched(expected);
    if (!keep) {
      complete(ticket, FillOutcome.failed(null));
      return;
    }
    byte[] bytes = body.toArray();
    cache.store(Slices.sliceKey(t.key(), index), Slices.slice(described, bytes));
    complete(ticket, FillOutcome.stored(new StoredResponse(206, described.headers(), bytes, described.freshness(),
        Variance.NONE, described.storedAtMillis())));
  }

  /**
   * Reads a whole body and stores it as slices of {@code description}'s version (stored first, so that requests
   * arriving now read the slices as they come). Each slice is handed to {@code onSlice} and to the requests
   * waiting for it before its bytes are read. The slices read before a break stay stored.
   *
   * @param held a slice's ticket the caller already leads (for {@code heldIndex}), or null
   */
  public void storeWhole(CacheKey key, StoredResponse description, InputStream in, long heldIndex,
      MissCoalescer.@Nullable Ticket held, BiConsumer<Long, LiveFill> onSlice) throws IOException {
    long total = Slices.totalOf(description);
    int count = Math.toIntExact((total + sliceSize - 1) / sliceSize);
    MissCoalescer.Ticket[] tickets = new MissCoalescer.Ticket[count];
    for (int k = 0; k < count; k++) {
      tickets[k] = k == heldIndex && held != null ? held : coalescer.join(Slices.sliceKey(key, k));
    }
    cache.store(Slices.descriptionKey(key), description);
    int k = 0;
    LiveBody body = null;
    try {
      for (; k < count; k++) {
        int length = (int) Math.min(sliceSize, total - (long) k * sliceSize);
        body = new LiveBody(length);
        LiveFill live = new LiveFill(description, body);
        coalescer.started(tickets[k], FillOutcome.streaming(live));
        onSlice.accept((long) k, live);
        body.readAll(in);
        byte[] bytes = body.toArray();
        cache.store(Slices.sliceKey(key, k), Slices.slice(description, bytes));
        stats.sliceFetched(length);
        coalescer.complete(tickets[k], FillOutcome.stored(new StoredResponse(206, description.headers(), bytes,
            description.freshness(), Variance.NONE, description.storedAtMillis())));
      }
    } catch (IOException | RuntimeException e) {
      if (body != null) {
        body.fail();
      }
      stats.partialFill();
      for (; k < count; k++) {
        coalescer.complete(tickets[k], FillOutcome.failed(e));
      }
      throw e;
    }
  }

  /** How a response's object is described, and whether it may be stored. */
  record Described(StoredResponse description, boolean storable) {}

  Described describe(HttpFields originFields, long total, StoragePolicy.RequestFacts facts, long requestTime,
      long responseTime) {
    HttpFields fields = originFields.withoutHopByHop().toBuilder().remove("Content-Range")
        .set("Content-Length", Long.toString(total)).build();
    StoragePolicy.Decision d = storage.evaluate(200, fields, facts, requestTime, responseTime);
    Freshness freshness = d.freshness() != null ? d.freshness() : new Freshness(0, 0, responseTime, 0, 0, 0);
    return new Described(Slices.description(d.storable() ? d.headers() : fields, total, freshness, requestTime),
        d.storable());
  }

  private void complete(MissCoalescer.@Nullable Ticket ticket, FillOutcome outcome) {
    if (ticket != null) {
      coalescer.complete(ticket, outcome);
    }
  }
}
