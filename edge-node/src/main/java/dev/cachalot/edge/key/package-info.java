/** The cache key, built in one place ({@link dev.cachalot.edge.key.CacheKeyFactory}), and Vary's variance. */
@NullMarked
package dev.cachalot.edge.key;

import org.jspecify.annotations.NullMarked;
