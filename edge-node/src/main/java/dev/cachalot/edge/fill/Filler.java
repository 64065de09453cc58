package dev.cachalot.edge.fill;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpDates;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginClient;
import dev.cachalot.origin.OriginException;
import dev.cachalot.origin.OriginRequest;
import dev.cachalot.origin.OriginResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Fetches a key from the origin and stores the answer when RFC 9111 and the configuration allow. The body is read
 * on the origin client's thread, never on an I/O thread, and stored only when it arrived complete.
 */
public final class Filler {
  /** Reasons that describe the response (so the key is remembered as unshareable), not this one request. */
  private static final Set<String> REQUEST_REASONS = Set.of("request-no-store", "authorization");
  /** Not copied from a 304 into the stored response (RFC 9111 §3.2). */
  private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-range", "transfer-encoding",
      "content-encoding");

  private final OriginClient origin;
  private final CacheTier cache;
  private final StoragePolicy storage;
  private final UncacheablePredictor predictor;
  private final LongSupplier clock;
  private final long maxObjectSize;
  private final Executor blockingOk;
  private final @Nullable SliceFetcher slices;

  /**
   * @param blockingOk runs the body read; must never run it on a server I/O thread (the origin can answer before
   *     the continuation is attached, which would otherwise run it on the caller's thread)
   * @param slices stores large objects as slices, or null when slicing is off
   */
  public Filler(OriginClient origin, CacheTier cache, StoragePolicy storage, UncacheablePredictor predictor,
      LongSupplier clock, long maxObjectSize, Executor blockingOk, @Nullable SliceFetcher slices) {
    this.origin = origin;
    this.cache = cache;
    this.storage = storage;
    this.predictor = predictor;
    this.clock = clock;
    this.maxObjectSize = maxObjectSize;
    this.blockingOk = blockingOk;
    this.slices = slices;
  }

  /** Bodies at least this long (with a known length) are handed out while they arrive. */
  static final long STREAM_MIN = 64 * 1024;

  /** Early news of a fill, on the origin's thread, before its body is read. */
  public interface FillListener {
    /**
     * The body is arriving and will be stored.
     *
     * @param forRequester what the requesting client may be sent (the shared fields, plus any that
     *     {@code private="..."} kept out of them), with an empty body
     */
    default void streaming(LiveFill live, StoredResponse forRequester) {}

    /** The object is large and is being stored as slices, described by {@code description} (already stored). */
    default void sliced(StoredResponse description) {}
  }

  private static final FillListener QUIET = new FillListener() {};

  /**
   * One fill.
   *
   * @param client the client's fields (selects the variant when the response has Vary)
   * @param candidate the stored response being revalidated, or null
   */
  public record FillRequest(CacheKey key, OriginRequest origin, HttpFields client, StoragePolicy.RequestFacts facts,
      @Nullable StoredResponse candidate) {}

  /** How a fill ended. */
  public sealed interface FillResult {}

  /**
   * Stored (or refreshed by a 304, {@code originStatus} 304). {@code forRequester} is what the requesting client
   * gets: the stored response, plus any fields that {@code private="..."} kept out of the shared copy.
   */
  public record Stored(StoredResponse response, int originStatus, StoredResponse forRequester) implements FillResult {
    Stored(StoredResponse response, int originStatus) {
      this(response, originStatus, response);
    }
  }

  /**
   * Not stored: the caller must send {@code prefix} then the rest of {@code live}'s body to its client, or close it.
   */
  public record Passed(OriginResponse live, byte[] prefix, String reason) implements FillResult {}

  /** A large object, stored as slices as its body arrived; {@link FillListener#sliced} was told first. */
  public record Sliced(StoredResponse description) implements FillResult {}

  /** The origin could not be reached, or the body was cut short. Nothing was stored. */
  public record Failed(OriginException error) implements FillResult {}

  public CompletableFuture<FillResult> fill(FillRequest request) {
    return fill(request, QUIET);
  }

  /** A fill whose early news goes to {@code listener}. */
  public CompletableFuture<FillResult> fill(FillRequest request, FillListener listener) {
    long requestTime = clock.getAsLong();
    return origin.fetch(request.origin()).handleAsync((response, error) -> {
      if (error != null) {
        return new Failed(originError(error));
      }
      return onResponse(request, response, requestTime, clock.getAsLong(), listener);
    }, blockingOk);
  }

  private FillResult onResponse(FillRequest request, OriginResponse response, long requestTime, long responseTime,
      FillListener listener) {
    StoredResponse candidate = request.candidate();
    try {
      HttpFields headers = withDate(response.headers(), responseTime);
      if (candidate != null && response.status() == 304) {
        response.close();
        HttpFields merged = merge(candidate.headers(), headers);
        Freshness f = storage.refresh(candidate.status(), merged, requestTime, responseTime);
        StoredResponse refreshed = candidate.refreshed(merged, f, requestTime);
        cache.store(request.key(), refreshed);
        return new Stored(refreshed, 304);
      }
      StoragePolicy.Decision d =
          storage.evaluate(response.status(), headers, request.facts(), requestTime, responseTime);
      long length = response.contentLength();
      Freshness freshness = d.freshness();
      if (d.storable() && freshness != null && sliceable(request, response, headers)) {
        StoredResponse description = Slices.description(d.headers(), length, freshness, requestTime);
        Objects.requireNonNull(slices).storeWhole(request.key(), description, response.body(), -1, null,
            (k, live) -> {
              if (k == 0) {
                listener.sliced(description);
              }
            });
        response.close();
        predictor.forget(request.key());
        return new Sliced(description);
      }
      boolean tooLarge = length > maxObjectSize;
      if (!d.storable() || tooLarge || freshness == null) {
        if (tooLarge || !REQUEST_REASONS.contains(d.reason())) {
          predictor.remember(request.key());
        }
        return new Passed(response, new byte[0], tooLarge ? "too-large" : d.reason());
      }
      Variance variance = Variance.of(Variance.names(headers.joined("Vary")), request.client()::joined);
      HttpFields requesterFields = d.headers().size() == headers.withoutHopByHop().size() ? d.headers()
          : headers.withoutHopByHop();
      byte[] body;
      if (length >= STREAM_MIN) {
        LiveBody live = new LiveBody(length);
        listener.streaming(new LiveFill(new StoredResponse(response.status(), d.headers(), new byte[0], freshness,
            variance, requestTime), live), new StoredResponse(response.status(), requesterFields, new byte[0],
            freshness, variance, requestTime));
        live.readAll(response.body());
        body = live.toArray();
      } else {
        body = read(response.body(), length);
      }
      if (body.length > maxObjectSize) {
        predictor.remember(request.key());
        return new Passed(response, body, "too-large");
      }
      response.close();
      // as of when the origin was asked: a purge applied while the answer was on its way still purges it
      StoredResponse stored = new StoredResponse(response.status(), d.headers(), body, freshness, variance,
          requestTime);
      cache.store(request.key(), stored);
      predictor.forget(request.key());
      StoredResponse forRequester = requesterFields == d.headers() ? stored
          : new StoredResponse(response.status(), requesterFields, body, freshness, variance, requestTime);
      return new Stored(stored, response.status(), forRequester);
    } catch (IOException e) {
      response.close();
      return new Failed(OriginException.classify(e, true));
    }
  }

  /** A whole 200 of known length above the slicing threshold, tied to one version, the same for everyone. */
  private boolean sliceable(FillRequest request, OriginResponse response, HttpFields headers) {
    return slices != null && response.status() == 200 && response.contentLength() > slices.threshold()
        && request.candidate() == null && headers.get("Vary") == null && Slices.versioned(headers);
  }

  /** Reads the whole body, or stops just past {@code maxObjectSize}. A short body throws. */
  private byte[] read(InputStream in, long contentLength) throws IOException {
    if (contentLength >= 0) {
      byte[] body = in.readNBytes((int) contentLength);
      if (body.length != contentLength) {
        throw new OriginException(OriginException.Kind.PROTOCOL, false,
            "body ended after " + body.length + " of " + contentLength + " bytes");
      }
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    byte[] buf = new byte[16 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      if (out.size() > maxObjectSize) {
        break;
      }
    }
    return out.toByteArray();
  }

  /** A stored response's fields updated by a 304's (RFC 9111 §3.2). */
  static HttpFields merge(HttpFields stored, HttpFields update) {
    HttpFields.Builder b = stored.toBuilder();
    Set<String> replaced = new java.util.HashSet<>();
    HttpFields fresh = update.withoutHopByHop();
    for (int i = 0; i < fresh.size(); i++) {
      String lower = fresh.name(i).toLowerCase(Locale.ROOT);
      if (NOT_UPDATED.contains(lower)) {
        continue;
      }
      if (replaced.add(lower)) {
        b.remove(fresh.name(i));
      }
      b.add(fresh.name(i), fresh.value(i));
    }
    return b.build();
  }

  /** A cache must add a Date to a response that lacks a valid one (RFC 9110 §6.6.1). */
  private static HttpFields withDate(HttpFields h, long responseTime) {
    String date = h.get("Date");
    if (date != null && HttpDates.parse(date) != HttpDates.INVALID) {
      return h;
    }
    return h.toBuilder().set("Date", HttpDates.format(responseTime)).build();
  }

  /** The classified origin failure behind a future's exception. */
  public static OriginException originError(Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof java.io.UncheckedIOException u && u.getCause() != null) {
      t = u.getCause();
    }
    if (t instanceof IOException io) {
      return OriginException.classify(io, true);
    }
    return new OriginException(OriginException.Kind.PROTOCOL, false, String.valueOf(t), t);
  }
}
