/**
 * Fetching from origins. {@link dev.cachalot.origin.OriginClients} builds an {@link dev.cachalot.origin.OriginClient}
 * for an {@code http(s)://} origin (OkHttp) or a {@code file:} directory. Failures are
 * {@link dev.cachalot.origin.OriginException}s that carry their kind and whether a retry may help.
 */
@NullMarked
package dev.cachalot.origin;

import org.jspecify.annotations.NullMarked;
