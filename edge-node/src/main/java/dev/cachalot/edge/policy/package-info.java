/**
 * RFC 9111 rules as pure functions: parse directives ({@link dev.cachalot.edge.policy.CacheControl}), decide
 * whether a response may be stored and for how long ({@link dev.cachalot.edge.policy.StoragePolicy}), and whether
 * a stored response may be reused for a request ({@link dev.cachalot.edge.policy.ReusePolicy}). No I/O, no clocks:
 * callers pass the time.
 */
@NullMarked
package dev.cachalot.edge.policy;

import org.jspecify.annotations.NullMarked;
