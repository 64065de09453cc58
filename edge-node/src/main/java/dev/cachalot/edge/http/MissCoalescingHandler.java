package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.FillOutcome;
import dev.cachalot.edge.fill.LiveFill;
import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.OriginException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One origin fetch per key: the first request leads on to the origin; the others wait for its outcome and are
 * answered from what it stored. Requests that could not share a response (Authorization, request no-store, keys
 * known to be unshareable) skip the queue.
 */
public final class MissCoalescingHandler implements EdgeStage {
  private final EdgeStage next;
  private final SliceHandler slices;
  private final EdgeContext edge;
  private @Nullable CacheLookupHandler lookup;

  /** {@code slices} answers followers of a fill that turned out large and is stored as slices. */
  public MissCoalescingHandler(EdgeStage next, SliceHandler slices, EdgeContext edge) {
    this.next = next;
    this.slices = slices;
    this.edge = edge;
  }

  /** The lookup stage: a leader's second look is served through it, and followers of that leader start over at it. */
  public void lookAgainWith(CacheLookupHandler stage) {
    this.lookup = stage;
  }

  @Override
  public void handle(HttpServerExchange ex, EdgeExchange ctx) throws Exception {
    boolean shareable = !ex.getRequestHeaders().contains(io.undertow.util.Headers.AUTHORIZATION)
        && !ctx.requestCacheControl.noStore();
    if (!shareable) {
      next.handle(ex, ctx);
      return;
    }
    if (edge.predictor.bypass(ctx.key)) {
      ctx.knownUnshareable = true;
      next.handle(ex, ctx);
      return;
    }
    MissCoalescer.Ticket ticket = edge.coalescer.join(ctx.key);
    if (!ticket.leader()) {
      ctx.collapsed = true;
      followWhenDone(ex, ctx, edge.coalescer.await(ticket));
    } else if (ctx.candidate == null && !ctx.rechecked && edge.coalescer.endedRecently(ctx.key)) {
      recheckThenLead(ex, ctx, ticket);
    } else {
      lead(ex, ctx, ticket);
    }
  }

  private void lead(HttpServerExchange ex, EdgeExchange ctx, MissCoalescer.Ticket ticket) throws Exception {
    ctx.ticket = ticket;
    next.handle(ex, ctx);
  }

  /**
   * A miss's second look, once it leads, as in double-checked locking: the fill it would start may have stored the
   * key and ended between this request's lookup and its join (a range, for one, is looked up on the I/O thread and
   * joins after a dispatch). Fetching again would read the object from the origin twice. Taken only when a fill of
   * the key ended lately, so other misses pay nothing for it.
   */
  private void recheckThenLead(HttpServerExchange ex, EdgeExchange ctx, MissCoalescer.Ticket ticket)
      throws Exception {
    ctx.rechecked = true;
    CompletableFuture<@Nullable CacheEntry> again = edge.cache.recheck(ctx.key);
    if (again.isDone() || !ex.isInIoThread()) { // a blocking thread may wait for the mapped tier
      afterRecheck(ex, ctx, ticket, again, Handlers.entryOf(again));
      return;
    }
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> again.whenComplete((entry, error) ->
        ex.getIoThread().execute(() -> {
          try {
            afterRecheck(ex, ctx, ticket, again, error == null ? entry : null);
          } catch (Exception e) {
            edge.coalescer.complete(ticket, FillOutcome.failed(e));
            Handlers.fail(ex, edge, e);
          }
        })));
  }

  private void afterRecheck(HttpServerExchange ex, EdgeExchange ctx, MissCoalescer.Ticket ticket,
      CompletableFuture<@Nullable CacheEntry> again, @Nullable CacheEntry entry) throws Exception {
    if (entry != null) {
      boolean wasFromMapped = ctx.fromMapped;
      ctx.fromMapped = again instanceof CacheTier.LowerTierRead;
      if (java.util.Objects.requireNonNull(lookup).serveIfReusable(ex, ctx, entry)
          == CacheLookupHandler.Found.SERVED) {
        edge.coalescer.complete(ticket, FillOutcome.overtaken());
        return;
      }
      ctx.fromMapped = wasFromMapped;
    }
    lead(ex, ctx, ticket);
  }

  /** Follows the leader once {@code news} comes, on the exchange's I/O thread; a timeout means fetch alone. */
  private void followWhenDone(HttpServerExchange ex, EdgeExchange ctx,
      java.util.concurrent.CompletableFuture<FillOutcome> news) {
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> news.whenComplete((outcome, timeout) ->
        ex.getIoThread().execute(() -> {
          try {
            followLeader(ex, ctx, timeout == null ? outcome : null);
          } catch (Exception e) {
            Handlers.fail(ex, edge, e);
          }
        })));
  }

  private void followLeader(HttpServerExchange ex, EdgeExchange ctx, @Nullable FillOutcome outcome) throws Exception {
    if (outcome == null) { // waited too long: fetch alone
      next.handle(ex, ctx);
      return;
    }
    switch (outcome.kind()) {
      case STREAMING -> {
        LiveFill live = java.util.Objects.requireNonNull(outcome.live());
        StoredResponse head = live.head();
        if (head.variance().matches(name -> EdgeExchange.joined(ex.getRequestHeaders(), name))
            && edge.writer.serveLive(ex, ctx, head, live.body(),
                CacheStatus.fwd(edge.name, ctx.forwardReason).collapsed(true))) {
          edge.sliceStats.streamedLive();
          return;
        }
        // a HEAD, a precondition, several ranges, another variant: wait for the stored response
        followWhenDone(ex, ctx, edge.coalescer.awaitEnd(live));
      }
      case SLICED -> slices.serveFill(ex, ctx, java.util.Objects.requireNonNull(outcome.response()));
      case STORED -> {
        StoredResponse r = outcome.response();
        if (r != null && r.variance().matches(name -> EdgeExchange.joined(ex.getRequestHeaders(), name))) {
          edge.writer.serve(ex, ctx, r, CacheStatus.fwd(edge.name, ctx.forwardReason).collapsed(true));
        } else {
          next.handle(ex, ctx);
        }
      }
      case NOT_SHAREABLE -> next.handle(ex, ctx);
      case OVERTAKEN -> java.util.Objects.requireNonNull(lookup).handle(ex, ctx);
      case FAILED -> {
        if (OriginFetchHandler.serveStale(ex, ctx, edge, null)) {
          return;
        }
        if (outcome.error() instanceof OriginException e) {
          edge.writer.error(ex, Handlers.statusFor(e), Handlers.messageFor(e),
              CacheStatus.fwd(edge.name, ctx.forwardReason).collapsed(true).detail(e.kind().name().toLowerCase()));
        } else {
          next.handle(ex, ctx);
        }
      }
    }
  }
}
