package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.FillOutcome;
import dev.cachalot.edge.fill.Filler;
import dev.cachalot.edge.fill.MissCoalescer;
import dev.cachalot.edge.tier.StoredResponse;
import io.undertow.server.HttpServerExchange;

/**
 * {@code stale-while-revalidate}: the client gets the stale response at once, and one background request (not one
 * per client) revalidates it. Joins the coalescer, so it never runs beside another fetch of the same key.
 */
final class BackgroundRevalidator {
  private final EdgeContext edge;

  BackgroundRevalidator(EdgeContext edge) {
    this.edge = edge;
  }

  /** Called on the I/O thread; reads the request's fields now, fetches later. */
  void revalidate(HttpServerExchange ex, EdgeExchange ctx, StoredResponse stale) {
    MissCoalescer.Ticket ticket = edge.coalescer.join(ctx.key);
    if (!ticket.leader()) {
      return; // a fetch is already under way
    }
    Filler.FillRequest request = OriginFetchHandler.fillRequest(edge, ctx.key, ctx.target, ctx.host,
        EdgeExchange.snapshot(ex.getRequestHeaders()), stale, ctx.requestCacheControl);
    edge.filler.fill(request).whenComplete((result, error) -> {
      if (result instanceof Filler.Stored s) {
        edge.coalescer.complete(ticket, FillOutcome.stored(s.response()));
      } else if (result instanceof Filler.Passed p) {
        p.live().close();
        edge.coalescer.complete(ticket, FillOutcome.notShareable());
      } else {
        edge.coalescer.complete(ticket,
            FillOutcome.failed(result instanceof Filler.Failed f ? f.error() : error));
      }
    });
  }
}
