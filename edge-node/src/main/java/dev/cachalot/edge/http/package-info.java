/**
 * The request path as Undertow handlers, one job each, wired in order by {@link dev.cachalot.edge.EdgePipeline}.
 * Hits are answered on the I/O thread; anything that waits (origin, disk) continues on another thread and comes
 * back to the I/O thread to write.
 */
@NullMarked
package dev.cachalot.edge.http;

import org.jspecify.annotations.NullMarked;
