/**
 * Filling the cache from the origin: one fetch per key however many ask ({@link dev.cachalot.edge.fill.MissCoalescer}),
 * memory of keys that turned out unshareable ({@link dev.cachalot.edge.fill.UncacheablePredictor}), and the fetch
 * itself ({@link dev.cachalot.edge.fill.Filler}).
 */
@NullMarked
package dev.cachalot.edge.fill;

import org.jspecify.annotations.NullMarked;
