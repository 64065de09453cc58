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
        CacheResult.HIT, TrafficCounters.Tier.MEMORY, 0, 81_000);
    p.add(PEER, 2, Methods.GET, "/b", null, Protocols.HTTP_1_1, 400, 0, "http://x/\"q\"", null,
        CacheResult.ERROR, null, 0, 0);
    LineBuffer out = new LineBuffer(16);
    p.formatInto(out, nanos -> DATE);
    assertThat(p.isEmpty()).isTrue();
    assertThat(out.drain()).isEqualTo(
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
          TrafficCounters.Tier.MEMORY, 0, 1000);
    }
    assertThat(p.full()).isTrue();
  }
}
