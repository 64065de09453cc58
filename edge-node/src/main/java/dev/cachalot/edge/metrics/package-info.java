/**
 * Metrics: what the edge counts ({@link dev.cachalot.edge.metrics.TrafficCounters}, plain counters any reader can
 * use) and the one adapter that exports them through Micrometer ({@link dev.cachalot.edge.metrics.EdgeMetrics}).
 */
@NullMarked
package dev.cachalot.edge.metrics;

import org.jspecify.annotations.NullMarked;
