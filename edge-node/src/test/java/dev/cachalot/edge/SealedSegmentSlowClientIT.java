package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.MappedTierConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapped hit lent from a sealed segment's own mapping stays readable until its response is sent, even when the
 * segment is recycled (closed, its file deleted) while a slow client holds the response half-read. Unmapping at
 * recycling instead would crash the edge or send the client garbage.
 */
class SealedSegmentSlowClientIT extends EdgeTestBase {
  @TempDir Path dir;
  /** More than the kernel buffers for one connection (tcp_wmem's largest, plus a 4 KiB receive buffer). */
  private static final int SIZE = 6_500_000;
  private static final int FILLER = 1_500_000;

  @Override
  protected EdgeConfig config() {
    return withMappedTier(32L << 20, 16L << 20, new MappedTierConfig(dir, 128L << 20, 1024)); // 8 segments of 16 MiB
  }

  private static String body(String name, int size) {
    StringBuilder b = new StringBuilder(size + 32);
    while (b.length() < size) {
      b.append(name).append('@').append(b.length()).append(';');
    }
    return b.substring(0, size);
  }

  private void fetch(String path, String text) throws IOException {
    enqueueFresh(text, 600);
    assertThat(get(path, "Host", "photos.example").body()).hasSize(text.length());
  }

  @Test
  void aSliceOfARecycledSegmentIsStillServedWhole() throws Exception {
    fetch("/v/0", body("object-0", SIZE));
    fetch("/v/1", body("object-1", SIZE));
    fetch("/v/2", body("object-2", SIZE)); // no room beside the first two: a new segment, the first one sealed
    Path first = dir.resolve("seg-1.cmap");
    assertThat(first).exists();
    edge.close();
    edge = EdgeNode.start(config(), clock); // memory empty: the next hit of object 0 is lent from the mapped tier

    int fillers = 0;
    try (Socket slow = slowGet("/v/0", "photos.example")) {
      InputStream in = slow.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + SIZE).containsIgnoringCase("hit");
      ByteArrayOutputStream received = new ByteArrayOutputStream(SIZE);
      received.write(in.readNBytes(64 << 10)); // started, then the client stalls

      while (fillers < 200 && Files.exists(first)) { // new objects until the ring recycles that segment
        fetch("/filler/" + fillers, body("filler-" + fillers, FILLER));
        fillers++;
      }
      assertThat(first).as("the segment object 0 was lent from has been recycled").doesNotExist();

      received.write(in.readAllBytes());
      String got = received.toString(StandardCharsets.US_ASCII);
      assertThat(got.length()).isEqualTo(SIZE);
      assertThat(got.equals(body("object-0", SIZE))).as("object 0 arrived unchanged").isTrue();
    }
    // the newest object (older ones, even object 2, may have gone with the next recycled segment: stores finish
    // after their responses, so the loop above can run on a little), once its store has finished
    String newest = "/filler/" + (fillers - 1);
    enqueueFresh(body("filler-" + (fillers - 1), FILLER), 600); // in case it is fetched again meanwhile
    assertThat(Await.until(() -> {
      try {
        return get(newest, "Host", "photos.example").hit();
      } catch (IOException e) {
        return false;
      }
    }, java.time.Duration.ofSeconds(10))).as("the edge still serves").isTrue();
  }
}
