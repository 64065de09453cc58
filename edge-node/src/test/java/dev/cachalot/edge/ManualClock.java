package dev.cachalot.edge;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock the test moves by hand, so freshness tests never sleep. Starts on a whole second. */
public final class ManualClock implements LongSupplier {
  private final AtomicLong millis = new AtomicLong(System.currentTimeMillis() / 1000 * 1000);

  @Override
  public long getAsLong() {
    return millis.get();
  }

  public void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  public void advanceSeconds(long s) {
    advance(Duration.ofSeconds(s));
  }
}
