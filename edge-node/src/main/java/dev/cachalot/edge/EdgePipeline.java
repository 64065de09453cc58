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
 *   │   ├─ SliceHandler      miss of a sliced object (or a cold range): answer from slices, fetch only missing ones
 *   │   MissCoalescingHandler one origin fetch per key; followers stream the leader's body as it arrives;
 *   │                        a leader looks in the tiers once more first (a fill may have just stored the key)
 *   │   OriginFetchHandler   fetch or revalidate off the I/O thread; store (large objects as slices); serve as
 *   │                        the body arrives, stream, or serve stale
 *   └─ pass path
 *       PassThroughHandler   forward unchanged with the body; unsafe 2xx/3xx invalidate (RFC 9111 §4.4)
 * </pre>
 */
public final class EdgePipeline {
  private EdgePipeline() {}

  public static HttpHandler build(EdgeContext edge) {
    SliceHandler slices = new SliceHandler(edge);
    EdgeStage originFetch = new OriginFetchHandler(edge, slices);
    MissCoalescingHandler missCoalescing = new MissCoalescingHandler(originFetch, slices, edge);
    slices.fallback(missCoalescing); // what slicing does not handle takes the whole-object path
    CacheLookupHandler cacheLookup = new CacheLookupHandler(missCoalescing, slices, edge);
    missCoalescing.lookAgainWith(cacheLookup); // a miss overtaken by a fill is served from what it stored
    EdgeStage passThrough = new PassThroughHandler(edge);
    return new RequestGuardHandler(cacheLookup, passThrough, edge);
  }
}
