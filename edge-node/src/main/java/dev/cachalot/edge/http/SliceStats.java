package dev.cachalot.edge.http;

import java.util.concurrent.atomic.LongAdder;

/** What slicing did; exported by the metrics adapter. */
public final class SliceStats {
  final LongAdder fetched = new LongAdder();
  final LongAdder served = new LongAdder();
  final LongAdder waits = new LongAdder();
  final LongAdder fallbacks = new LongAdder();
  final LongAdder originBytes = new LongAdder();

  /** Slices fetched from the origin (each is then stored). */
  public long fetched() {
    return fetched.sum();
  }

  /** Slices sent to clients (whole or in part). */
  public long served() {
    return served.sum();
  }

  /** Requests that waited for another request's fetch of a slice. */
  public long waits() {
    return waits.sum();
  }

  /** Requests that went the whole-object way (small object, Range ignored, origin error). */
  public long fallbacks() {
    return fallbacks.sum();
  }

  /** Body bytes of slices read from origins. */
  public long originBytes() {
    return originBytes.sum();
  }
}
