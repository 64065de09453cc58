package dev.cachalot.edge.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.edge.key.CacheKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MissCoalescerTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final MissCoalescer coalescer = new MissCoalescer(Duration.ofSeconds(5), now::get);
  private final CacheKey key = new CacheKey("h", "http://h/a");

  @Test
  void aFillThatEndedLatelyIsReportedUntilItIsOld() {
    assertThat(coalescer.endedRecently(key)).as("no fill yet").isFalse();
    MissCoalescer.Ticket leader = coalescer.join(key);
    assertThat(coalescer.endedRecently(key)).as("in flight, not ended").isFalse();
    coalescer.complete(leader, FillOutcome.notShareable());
    assertThat(coalescer.inFlight(key)).isFalse();
    assertThat(coalescer.endedRecently(key)).isTrue();
    now.addAndGet(MissCoalescer.RECENT_MILLIS);
    assertThat(coalescer.endedRecently(key)).as("at the limit").isTrue();
    now.incrementAndGet();
    assertThat(coalescer.endedRecently(key)).isFalse();
  }

  @Test
  void aFollowerCompletingEndsNothing() {
    MissCoalescer.Ticket leader = coalescer.join(key);
    MissCoalescer.Ticket follower = coalescer.join(key);
    coalescer.complete(follower, FillOutcome.notShareable());
    assertThat(coalescer.inFlight(key)).isTrue();
    assertThat(coalescer.endedRecently(key)).isFalse();
    coalescer.complete(leader, FillOutcome.notShareable());
    assertThat(coalescer.endedRecently(key)).isTrue();
  }
}
