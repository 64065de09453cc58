package dev.cachalot.edge;

import dev.cachalot.edge.http.CacheLookupHandler;
import dev.cachalot.edge.http.EdgeContext;
import dev.cachalot.edge.http.EdgeStage;
import dev.cachalot.edge.http.MissCoalescingHandler;
import dev.cachalot.edge.http.OriginFetchHandler;
import dev.cachalot.edge.http.PassThroughHandler;
import dev.cachalot.edge.http.RequestGuardHandler;
import dev.cachalot.edge.http.SliceHandler;
import io.undertow.server.HttpHandler;

/**
 * The request path, in order. Reading this class is reading the data path in docs/architecture.md:
 *
 * <pre>
 *   RequestGuardHandler      Host check, CacheKey; GET/HEAD → cache path, other methods → pass path
 *   ├─ cache path
 *   │   CacheLookupHandler   tier lookup; fresh → serve on the I/O thread; stale-while-revalidate → serve + refresh
 *   │   ├─ SliceHandler      single-range miss: answer from slices of a large object, fetch only missing ones
 *   │   MissCoalescingHandler one origin fetch per key; followers wait for the leader's outcome
 *   │   OriginFetchHandler   fetch or revalidate off the I/O thread; store; serve, stream, or serve stale
 *   └─ pass path
 *       PassThroughHandler   forward unchanged with the body; unsafe 2xx/3xx invalidate (RFC 9111 §4.4)
 * </pre>
 */
public final class EdgePipeline {
  private EdgePipeline() {}

  public static HttpHandler build(EdgeContext edge) {
    EdgeStage originFetch = new OriginFetchHandler(edge);
    EdgeStage missCoalescing = new MissCoalescingHandler(originFetch, edge);
    SliceHandler slices = new SliceHandler(missCoalescing, edge);
    EdgeStage cacheLookup = new CacheLookupHandler(missCoalescing, slices, edge);
    EdgeStage passThrough = new PassThroughHandler(edge);
    return new RequestGuardHandler(cacheLookup, passThrough, edge);
  }
}
