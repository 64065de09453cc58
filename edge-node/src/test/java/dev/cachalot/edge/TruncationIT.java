package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.OriginConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A body cut short by the origin is never stored, and never passed on as if complete. */
class TruncationIT extends EdgeTestBase {
  private RawOrigin raw;

  @Override
  protected EdgeConfig config() {
    try {
      raw = new RawOrigin();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return baseConfig(new CacheConfig(64L << 20, 1000, Duration.ofDays(1), Duration.ZERO, Duration.ofMinutes(2),
        Duration.ofSeconds(30), Set.of())).withOrigin(OriginConfig.of(raw.url()).withResilience(scripted()));
  }

  @AfterEach
  void closeRaw() throws IOException {
    raw.close();
  }

  @Test
  void shortBodyIsNotStoredAndTheNextRequestGoesToTheOrigin() throws Exception {
    raw.enqueue("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 100\r\n\r\nonly-ten-b");
    raw.enqueue("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 5\r\n\r\nwhole");
    Result first = get("/t");
    assertThat(first.code()).isEqualTo(502);
    assertThat(first.cacheStatus()).contains("detail=protocol");
    Result second = get("/t");
    assertThat(second.body()).isEqualTo("whole");
    assertThat(raw.requests()).isEqualTo(2);
    assertThat(get("/t").hit()).isTrue();
  }

  @Test
  void chunkedBodyWithoutItsLastChunkIsNotStored() throws Exception {
    raw.enqueue("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    raw.enqueue("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 2\r\n\r\nok");
    assertThat(get("/c").code()).isEqualTo(502);
    assertThat(get("/c").body()).isEqualTo("ok");
  }

  @Test
  void streamedBodyCutShortClosesTheClientConnection() {
    String head = "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 5000\r\n\r\n";
    raw.enqueue(head + "x".repeat(2000)); // larger than maxObjectSize, so streamed, then cut
    assertThatThrownBy(() -> get("/big")).isInstanceOf(IOException.class);
  }
}
