package dev.cachalot.edge.http;

import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.purge.PurgeRules;
import dev.cachalot.edge.policy.ReusePolicy;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.StoredResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Looks the key up and serves what may be reused, on the I/O thread. Anything else (nothing stored, no matching
 * variant, or a response that must be validated first) goes on to the next stage; {@code only-if-cached} gets 504.
 */
public final class CacheLookupHandler implements EdgeStage {
  private final EdgeStage next;
  /** Ranges of large objects: answered from slices (falls back to {@code next}). */
  private final SliceHandler slices;
  private final EdgeContext edge;
  private final BackgroundRevalidator revalidator;

  public CacheLookupHandler(EdgeStage next, SliceHandler slices, EdgeContext edge) {
    this.next = next;
    this.slices = slices;
    this.edge = edge;
    this.revalidator = new BackgroundRevalidator(edge);
  }

  @Override
  public void handle(HttpServerExchange ex, EdgeExchange ctx) throws Exception {
    CompletableFuture<@Nullable CacheEntry> lookup = edge.cache.lookupToServe(ctx.key);
    ctx.fromMapped = lookup instanceof CacheTier.LowerTierRead; // however soon the read completed
    if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
      decide(ex, ctx, lookup.getNow(null));
      return;
    }
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> lookup.whenComplete((entry, error) ->
        ex.getIoThread().execute(() -> {
          try {
            decide(ex, ctx, error == null ? entry : null);
          } catch (Exception e) {
            Handlers.fail(ex, edge, e);
          }
        })));
  }

  private void decide(HttpServerExchange ex, EdgeExchange ctx, @Nullable CacheEntry entry) throws Exception {
    Found found = serveIfReusable(ex, ctx, entry);
    if (found == Found.SERVED) {
      return;
    }
    if (found == Found.COLD && slices.applies(ex, ctx)) {
      slices.handle(ex, ctx);
      return;
    }
    if (ctx.requestCacheControl.onlyIfCached()) {
      edge.writer.error(ex, 504, "Gateway Timeout: only-if-cached and nothing suitable is stored",
          CacheStatus.plain(edge.name).detail("only-if-cached"));
      return;
    }
    next.handle(ex, ctx);
  }

  /** What a lookup found for a request. */
  enum Found {
    /** Reusable, and served. */
    SERVED,
    /** Nothing stored for this request (no entry, or no matching variant): a cold object. */
    COLD,
    /** Stored, but purged or to be validated first ({@link EdgeExchange#candidate}). */
    FORWARD,
  }

  /**
   * Serves {@code entry} if it may be reused; otherwise sets why the request goes forward. Also for a miss's second
   * look (MissCoalescingHandler).
   */
  Found serveIfReusable(HttpServerExchange ex, EdgeExchange ctx, @Nullable CacheEntry entry) {
    if (entry != null && entry.lent()) { // served from its lent buffer, given back when the exchange ends
      CacheEntry lent = entry;
      ex.addExchangeCompleteListener((done, next) -> {
        lent.release();
        next.proceed();
      });
    }
    StoredResponse stored = entry == null ? null : entry.invariant();
    if (stored == null && entry != null) {
      stored = entry.select(name -> EdgeExchange.joined(ex.getRequestHeaders(), name));
    }
    long now = edge.clock.getAsLong(); // one instant for the decision and for the hit's Age and ttl
    PurgeRules.Verdict purged = stored == null ? PurgeRules.Verdict.NONE : edge.purges.verdict(ctx.key, stored);
    if (purged == PurgeRules.Verdict.MISS) {
      stored = null; // purged: fetched again, and the new copy replaces it
    }
    if (stored == null) {
      ctx.forwardReason = entry == null || purged == PurgeRules.Verdict.MISS ? "uri-miss" : "vary-miss";
    } else if (purged == PurgeRules.Verdict.REVALIDATE) {
      ctx.candidate = stored.onHeap(); // soft-purged: validate first; still usable as stale-if-error
      ctx.forwardReason = "stale";
    } else {
      ReusePolicy.Reuse reuse = ReusePolicy.decide(stored.freshness(), ctx.requestCacheControl, now);
      switch (reuse) {
        case FRESH -> {
          edge.writer.serveHit(ex, ctx, stored, now);
          return Found.SERVED;
        }
        case STALE_ACCEPTED -> {
          edge.writer.serve(ex, ctx, stored, CacheStatus.hit(edge.name).detail("max-stale"));
          return Found.SERVED;
        }
        case STALE_WHILE_REVALIDATE -> {
          revalidator.revalidate(ex, ctx, stored.onHeap());
          edge.writer.serve(ex, ctx, stored, CacheStatus.hit(edge.name).detail("stale-while-revalidate"));
          return Found.SERVED;
        }
        case VALIDATE -> {
          ctx.candidate = stored.onHeap();
          Freshness f = stored.freshness();
          ctx.forwardReason = f.isFresh(now) && !f.has(Freshness.NO_CACHE) ? "request" : "stale";
        }
      }
    }
    return stored == null && purged == PurgeRules.Verdict.NONE ? Found.COLD : Found.FORWARD;
  }
}
