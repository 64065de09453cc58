/**
 * Following the purge log: the edge's own reading of the wire contract ({@link dev.cachalot.edge.purge.PurgeRecord}),
 * the rules a purge leaves behind ({@link dev.cachalot.edge.purge.PurgeRules}, applied lazily at lookup), their
 * journal, and the follower thread.
 */
@NullMarked
package dev.cachalot.edge.purge;

import org.jspecify.annotations.NullMarked;
