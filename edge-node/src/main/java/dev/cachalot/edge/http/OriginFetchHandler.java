package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.FillOutcome;
import dev.cachalot.edge.fill.Filler;
import dev.cachalot.edge.fill.LiveFill;
import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.fill.OriginRequests;
import dev.cachalot.edge.policy.ReusePolicy;
import dev.cachalot.edge.policy.StoragePolicy;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import dev.cachalot.origin.OriginException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Fetches from the origin for a miss or a revalidation, off the I/O thread. Stored responses are written back on
 * the I/O thread; unshareable ones stream through. Origin failures serve stale where allowed, else 502/504.
 */
public final class OriginFetchHandler implements EdgeStage {
  private final EdgeContext edge;
  private final SliceHandler slices;

  /** {@code slices} answers the requester when the object turns out large and is stored as slices. */
  public OriginFetchHandler(EdgeContext edge, SliceHandler slices) {
    this.edge = edge;
    this.slices = slices;
  }

  @Override
  public void handle(HttpServerExchange ex, EdgeExchange ctx) {
    HttpFields client = EdgeExchange.snapshot(ex.getRequestHeaders());
    if (ctx.knownUnshareable && client.contains("Range")) {
      passRange(ex, ctx, client);
      return;
    }
    Filler.FillRequest request = fillRequest(edge, ctx.key, ctx.target, ctx.host, client, ctx.candidate,
        ctx.requestCacheControl);
    FillRun run = new FillRun(ex, ctx, ctx.ticket);
    ctx.ticket = null; // the run owns it: a later fill for this request (after a fallback) gets its own
    long asked = System.nanoTime();
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> edge.filler.fill(request, run).whenCompleteAsync((result, error) -> {
      ctx.originNanos = System.nanoTime() - asked;
      try {
        run.onResult(error == null ? result : new Filler.Failed(Filler.originError(error)));
      } catch (RuntimeException e) {
        run.complete(FillOutcome.failed(e));
        ex.getIoThread().execute(() -> Handlers.fail(ex, edge, e));
      }
    }, edge.offIo));
  }

  static Filler.FillRequest fillRequest(EdgeContext edge, dev.cachalot.edge.key.CacheKey key, String target,
      String host, HttpFields client, @Nullable StoredResponse candidate,
      dev.cachalot.edge.policy.CacheControl requestCc) {
    StoragePolicy.RequestFacts facts =
        new StoragePolicy.RequestFacts(key.host(), client.contains("Authorization"), requestCc);
    return new Filler.FillRequest(key, OriginRequests.forFill(target, host, client, candidate, edge.name), client,
        facts, candidate);
  }

  /**
   * One fill for one request: its place in the coalescer's line, and whether the requester was already answered
   * while the body arrived (streamed, or read from slices). Early news comes on the origin's thread.
   */
  private final class FillRun implements Filler.FillListener {
    private final HttpServerExchange ex;
    private final EdgeExchange ctx;
    private MissCoalescer.@Nullable Ticket ticket;
    private volatile boolean answeredEarly;

    FillRun(HttpServerExchange ex, EdgeExchange ctx, MissCoalescer.@Nullable Ticket ticket) {
      this.ex = ex;
      this.ctx = ctx;
      this.ticket = ticket;
    }

    @Override
    public void streaming(LiveFill live, StoredResponse forRequester) {
      if (ticket != null) {
        edge.coalescer.started(ticket, FillOutcome.streaming(live));
      }
      CacheStatus status = CacheStatus.fwd(edge.name, ctx.forwardReason).fwdStatus(live.head().status()).stored();
      if (edge.writer.serveLive(ex, ctx, forRequester, live.body(), status.collapsed(ctx.collapsed))) {
        edge.sliceStats.streamedLive();
        answeredEarly = true;
      }
    }

    @Override
    public void sliced(StoredResponse description) {
      if (ticket != null) {
        edge.coalescer.started(ticket, FillOutcome.sliced(description));
      }
      answeredEarly = true;
      ex.getIoThread().execute(() -> slices.serveFill(ex, ctx, description));
    }

      /** Runs on the origin client's thread. */
      void onResult(Filler.FillResult result) {
      if (result instanceof Filler.Sliced s) {
        complete(FillOutcome.sliced(s.description()));
        return; // the requester was answered from the slices as they arrived
      }
      if (answeredEarly) {
        // the requester is reading the body as it arrives; a failure cuts its response there
        complete(result instanceof Filler.Stored s ? FillOutcome.stored(s.response())
            : result instanceof Filler.Failed f ? FillOutcome.failed(f.error()) : FillOutcome.notShareable());
        return;
      }
      if (result instanceof Filler.Stored s) {
          complete(FillOutcome.stored(s.response()));
          CacheStatus status = CacheStatus.fwd(edge.name, ctx.forwardReason).fwdStatus(s.originStatus());
          if (s.originStatus() != 304) {
            status.stored();
          }
          ex.getIoThread().execute(() -> edge.writer.serve(ex, ctx, s.forRequester(), status.collapsed(ctx.collapsed)));
      } else if (result instanceof Filler.Passed p) {
          int status = p.live().status();
          HttpFields client = EdgeExchange.snapshot(ex.getRequestHeaders());
          if (p.reason().equals("too-large") && client.contains("Range") && status == 200) {
            // not stored, so the client's range is best fetched as a range: drop the whole body, ask again
            complete(FillOutcome.notShareable());
            p.live().close();
            passRange(ex, ctx, client);
            return;
          }
          boolean serverError = status >= 500;
          complete(serverError ? FillOutcome.failed(null) : FillOutcome.notShareable());
          if (serverError && canServeStale(ctx)) {
            p.live().close();
            ex.getIoThread().execute(() -> serveStale(ex, ctx, edge, status));
            return;
          }
          edge.writer.stream(ex, p.live(), p.prefix(),
              CacheStatus.fwd(edge.name, ctx.forwardReason).fwdStatus(status).detail(p.reason()), ctx.head);
      } else if (result instanceof Filler.Failed f) {
          complete(FillOutcome.failed(f.error()));
          ex.getIoThread().execute(() -> {
            if (!serveStale(ex, ctx, edge, null)) {
              OriginException e = f.error();
              edge.writer.error(ex, Handlers.statusFor(e), Handlers.messageFor(e),
                  CacheStatus.fwd(edge.name, ctx.forwardReason).detail(e.kind().name().toLowerCase(Locale.ROOT)));
            }
          });
      }
    }

    void complete(FillOutcome outcome) {
      if (ticket != null) {
        edge.coalescer.complete(ticket, outcome);
        ticket = null;
      }
    }
  }

  /** Sends the request with the client's Range and conditionals to the origin and streams the answer. */
  private void passRange(HttpServerExchange ex, EdgeExchange ctx, HttpFields client) {
    var request = OriginRequests.forPass("GET", ctx.target, ctx.host, client, null, edge.name);
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> edge.origin.fetch(request).whenCompleteAsync((response, error) -> {
      if (error != null) {
        OriginException e = Filler.originError(error);
        ex.getIoThread().execute(() -> edge.writer.error(ex, Handlers.statusFor(e), Handlers.messageFor(e),
            CacheStatus.fwd(edge.name, ctx.forwardReason).detail(e.kind().name().toLowerCase(Locale.ROOT))));
        return;
      }
      edge.writer.stream(ex, response, new byte[0],
          CacheStatus.fwd(edge.name, ctx.forwardReason).fwdStatus(response.status()).detail("too-large"), ctx.head);
    }, edge.offIo));
  }

  private boolean canServeStale(EdgeExchange ctx) {
    return canServeStale(ctx, edge);
  }

  static boolean canServeStale(EdgeExchange ctx, EdgeContext edge) {
    StoredResponse stale = ctx.candidate;
    return stale != null
        && ReusePolicy.staleOnError(stale.freshness(), ctx.requestCacheControl, edge.clock.getAsLong(),
            edge.graceMillis);
  }

  /** Serves the stale candidate if stale-if-error or the configured grace allows; on the I/O thread. */
  static boolean serveStale(HttpServerExchange ex, EdgeExchange ctx, EdgeContext edge, @Nullable Integer status) {
    StoredResponse stale = ctx.candidate;
    if (stale == null || !canServeStale(ctx, edge)) {
      return false;
    }
    CacheStatus cs = CacheStatus.fwd(edge.name, ctx.forwardReason);
    if (status != null) {
      cs.fwdStatus(status);
    }
    edge.writer.serve(ex, ctx, stale, cs.collapsed(ctx.collapsed).detail("stale-if-error"));
    return true;
  }

}
