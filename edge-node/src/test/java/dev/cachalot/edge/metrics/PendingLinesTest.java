package dev.cachalot.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PendingLinesTest {
  private static final byte[] PEER = "10.0.0.7 - - [".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATE = "22/Nov/2026:06:00:00 +0000".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aBatchFormatsAsCombinedLinesWithTheCacheFields() {
    PendingLines p = new PendingLines();
    p.add(PEER, 1, Methods.GET, "/a.jpg", "w=100", Protocols.HTTP_1_1, 200, 8192, null, "curl/8.5.0",
        CacheResult.HIT, TrafficCounters.Tier.MEMORY, -1, 81_000);
    p.add(PEER, 2, Methods.GET, "/b", null, Protocols.HTTP_1_1, 400, 0, "http://x/\"q\"", null,
        CacheResult.ERROR, null, -1, -1);
    LineBuffer out = new LineBuffer(16);
    p.formatInto(out, nanos -> DATE);
    assertThat(p.isEmpty()).isTrue();
    assertThat(out.drain().toString()).isEqualTo(
        "10.0.0.7 - - [22/Nov/2026:06:00:00 +0000] \"GET /a.jpg?w=100 HTTP/1.1\" 200 8192 \"-\" \"curl/8.5.0\""
            + " cache=hit tier=memory origin_ms=- total_ms=0.081\n"
            + "10.0.0.7 - - [22/Nov/2026:06:00:00 +0000] \"GET /b HTTP/1.1\" 400 0 \"http://x/\\\"q\\\"\" \"-\""
            + " cache=error tier=none origin_ms=- total_ms=-\n");
  }

  @Test
  void fullAtCapacity() {
    PendingLines p = new PendingLines();
    for (int i = 0; i < PendingLines.CAPACITY; i++) {
      assertThat(p.full()).isFalse();
      p.add(PEER, i, Methods.HEAD, "/", null, Protocols.HTTP_1_1, 200, 0, null, null, CacheResult.HIT,
          TrafficCounters.Tier.MEMORY, -1, 1000);
    }
    assertThat(p.full()).isTrue();
  }

  @Test
  void repeatedHeadsStatusesAndBareTailsFormatLikeTheGeneralPath() {
    byte[] otherPeer = "10.0.0.8 - - [".getBytes(StandardCharsets.US_ASCII);
    byte[] nextSecond = "22/Nov/2026:06:00:01 +0000".getBytes(StandardCharsets.US_ASCII);
    PendingLines p = new PendingLines();
    LineBuffer out = new LineBuffer(16);
    p.add(PEER, 1, Methods.GET, "/a", null, Protocols.HTTP_1_1, 200, 10, null, null, CacheResult.HIT,
        TrafficCounters.Tier.MEMORY, -1, 0);
    p.add(PEER, 2, Methods.GET, "/b", null, Protocols.HTTP_1_0, 304, 0, null, null, CacheResult.REVALIDATED,
        TrafficCounters.Tier.MAPPED, 5_000_000, 6_000_000);
    p.add(otherPeer, 3, Methods.GET, "/c", null, Protocols.HTTP_1_1, 206, 5, null, null, CacheResult.MISS,
        TrafficCounters.Tier.ORIGIN, -1, 3_000);
    p.formatInto(out, nanos -> DATE);
    String first = out.drain().toString();
    // same peer, date and method as the last line before the drain: the head is written afresh, not copied from
    // where that line was (which the new lines overwrite)
    for (int i = 0; i < 5; i++) {
      p.add(otherPeer, 4, Methods.GET, "/d", null, Protocols.HTTP_1_0, 200, 1, null, null, CacheResult.HIT,
          TrafficCounters.Tier.MEMORY, -1, 1_000);
    }
    p.add(otherPeer, 5, Methods.HEAD, "/e", null, Protocols.HTTP_1_1, 200, 0, null, null, CacheResult.HIT,
        TrafficCounters.Tier.MEMORY, -1, 1_000);
    p.formatInto(out, nanos -> nanos < 5 ? DATE : nextSecond);
    assertThat(first).isEqualTo(
        "10.0.0.7 - - [22/Nov/2026:06:00:00 +0000] \"GET /a HTTP/1.1\" 200 10 \"-\" \"-\""
            + " cache=hit tier=memory origin_ms=- total_ms=0.000\n"
            + "10.0.0.7 - - [22/Nov/2026:06:00:00 +0000] \"GET /b HTTP/1.0\" 304 0 \"-\" \"-\""
            + " cache=revalidated tier=mapped origin_ms=5.000 total_ms=6.000\n"
            + "10.0.0.8 - - [22/Nov/2026:06:00:00 +0000] \"GET /c HTTP/1.1\" 206 5 \"-\" \"-\""
            + " cache=miss tier=origin origin_ms=- total_ms=0.003\n");
    assertThat(out.drain().toString()).isEqualTo(
        ("10.0.0.8 - - [22/Nov/2026:06:00:00 +0000] \"GET /d HTTP/1.0\" 200 1 \"-\""
        + " \"-\" cache=hit tier=memory origin_ms=- total_ms=0.001\n").repeat(5)
        + "10.0.0.8 - - [22/Nov/2026:06:00:01 +0000] \"HEAD /e HTTP/1.1\" 200 0 \"-\" \"-\""
        + " cache=hit tier=memory origin_ms=- total_ms=0.001\n");
  }
}
