package dev.cachalot.edge.admin;

import dev.cachalot.edge.metrics.EdgeMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the totals every few seconds and keeps the last minutes, for the status page's chart. */
public final class StatsHistory implements AutoCloseable {
  /** One point of the chart: the ratios over the interval that ends at {@code time}. */
  public record Point(long time, TrafficTotals.Ratios ratios) {}

  private final EdgeMetrics metrics;
  private final int keep;
  private final ArrayDeque<TrafficTotals> samples = new ArrayDeque<>();
  private final ScheduledExecutorService timer;

  public StatsHistory(EdgeMetrics metrics, long periodMillis, int keep) {
    this.metrics = metrics;
    this.keep = keep;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "stats-history");
      t.setDaemon(true);
      return t;
    });
    sample();
    timer.scheduleAtFixedRate(this::sample, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  synchronized void sample() {
    samples.addLast(TrafficTotals.of(metrics, System.currentTimeMillis()));
    while (samples.size() > keep + 1) {
      samples.removeFirst();
    }
  }

  /** Oldest first; each point covers the interval since the previous sample. */
  synchronized List<Point> points() {
    List<Point> out = new ArrayList<>();
    TrafficTotals previous = null;
    for (TrafficTotals t : samples) {
      if (previous != null) {
        out.add(new Point(t.time(), t.since(previous)));
      }
      previous = t;
    }
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
