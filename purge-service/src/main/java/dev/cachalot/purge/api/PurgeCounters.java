package dev.cachalot.purge.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Purges accepted and rejected (by reason); exported by the metrics adapter. */
public final class PurgeCounters {
  private final LongAdder accepted = new LongAdder();
  private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

  void accepted() {
    accepted.increment();
  }

  void rejected(String reason) {
    rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public LongAdder acceptedCounter() {
    return accepted;
  }

  /** The counter for one reason, created at zero if needed (so the exporter can register it up front). */
  public LongAdder rejectedCounter(String reason) {
    return rejected.computeIfAbsent(reason, r -> new LongAdder());
  }
}
