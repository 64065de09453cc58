package dev.cachalot.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TrafficCountersTest {
  private static Map<String, Long> requestsByHost(TrafficCounters t) {
    Map<String, Long> m = new TreeMap<>();
    for (TrafficCounters.Cell c : t.cells()) {
      if (c.requestCount() > 0) {
        m.merge(c.host() + " " + c.result().label() + " " + c.tier().label(), c.requestCount(), Long::sum);
      }
    }
    return m;
  }

  @Test
  void hostsThatAlternateAreEachCountedUnderTheirOwnLabel() {
    List<TrafficCounters.Cell> announced = new ArrayList<>();
    TrafficCounters t = new TrafficCounters(2, announced::add);
    String[] hosts = {"a.example:8080", "b.example", "a.example:8080", "A.EXAMPLE:8080", "c.example", "b.example"};
    for (String h : hosts) {
      t.record(new String(h), CacheResult.HIT, TrafficCounters.Tier.MEMORY, 100); // a new String, as per request
    }
    t.record("b.example", CacheResult.MISS, TrafficCounters.Tier.ORIGIN, 7);
    assertThat(requestsByHost(t)).containsExactly(Map.entry("a.example hit memory", 3L),
        Map.entry("b.example hit memory", 2L), Map.entry("b.example miss origin", 1L),
        Map.entry("other hit memory", 1L));
    assertThat(t.cells()).allMatch(announced::contains);
    assertThat(t.cells().stream().mapToLong(TrafficCounters.Cell::byteCount).sum()).isEqualTo(607);
  }

  @Test
  void threadsCountIntoTheSameCells() throws Exception {
    TrafficCounters t = new TrafficCounters(8, c -> { });
    int threads = 4;
    int each = 10_000;
    CountDownLatch done = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      String host = i % 2 == 0 ? "a.example" : "b.example";
      new Thread(() -> {
        for (int n = 0; n < each; n++) {
          t.record(host, CacheResult.HIT, TrafficCounters.Tier.MAPPED, 1);
        }
        done.countDown();
      }).start();
    }
    done.await();
    assertThat(requestsByHost(t)).containsExactly(Map.entry("a.example hit mapped", 20_000L),
        Map.entry("b.example hit mapped", 20_000L));
  }
}
