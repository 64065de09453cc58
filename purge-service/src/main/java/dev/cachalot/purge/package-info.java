/**
 * The purge service: publishers' purge API, the durable purge log, and what edges read to follow it. Shares only
 * the JSON wire contract ({@code contract/purge-v1/}) with the edges, never code.
 */
@NullMarked
package dev.cachalot.purge;

import org.jspecify.annotations.NullMarked;
