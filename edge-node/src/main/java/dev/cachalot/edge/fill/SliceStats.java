package dev.cachalot.edge.fill;

import java.util.concurrent.atomic.LongAdder;

/** What slicing and streaming did; exported by the metrics adapter. */
public final class SliceStats {
  private final LongAdder fetched = new LongAdder();
  private final LongAdder served = new LongAdder();
  private final LongAdder waits = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder originBytes = new LongAdder();
  private final LongAdder partialFills = new LongAdder();
  private final LongAdder streamed = new LongAdder();

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

  /** Fills of a whole large object that broke off part way: the slices before the break stay stored. */
  public long partialFills() {
    return partialFills.sum();
  }

  /** Responses that streamed a body while it was still arriving from the origin. */
  public long streamed() {
    return streamed.sum();
  }

  public void sliceFetched(long bytes) {
    fetched.increment();
    originBytes.add(bytes);
  }

  public void sliceServed() {
    served.increment();
  }

  public void waited() {
    waits.increment();
  }

  public void fellBack() {
    fallbacks.increment();
  }

  public void partialFill() {
    partialFills.increment();
  }

  public void streamedLive() {
    streamed.increment();
  }
}
