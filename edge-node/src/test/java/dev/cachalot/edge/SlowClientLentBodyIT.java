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
 * A lent body is given back only when its response has been sent, however slowly the client reads. The object is
 * larger than the kernel can buffer for the connection (the largest send buffer the kernel grows to, plus the
 * client's small receive buffer), so the edge still holds unsent bytes while the client stalls; meanwhile other
 * mapped hits of the same size class borrow buffers from the pool. A buffer given back when the write was merely
 * started would be refilled with another object, and the stalled client would receive that object's bytes.
 */
class SlowClientLentBodyIT extends EdgeTestBase {
  @TempDir Path dir;
  private static final int OTHERS = 4;

  @Override
  protected EdgeConfig config() {
    return withMappedTier(32L << 20, 16L << 20, MappedTierConfig.of(dir, 512L << 20));
  }

  /** More than the kernel can hold for one connection, and still within the pool's largest buffers (8 MiB). */
  private static int size() throws IOException {
    long wmemMax = 4L << 20;
    Path wmem = Path.of("/proc/sys/net/ipv4/tcp_wmem");
    if (Files.isReadable(wmem)) {
      String[] v = Files.readString(wmem).trim().split("\\s+");
      wmemMax = Long.parseLong(v[v.length - 1]);
    }
    return (int) Math.min(7_800_000, Math.max(6_000_000, wmemMax + (2L << 20)));
  }

  private static String body(int i, int size) {
    StringBuilder b = new StringBuilder(size + 32);
    while (b.length() < size) {
      b.append("object-").append(i).append('@').append(b.length()).append(';');
    }
    return b.substring(0, size);
  }

  @Test
  void aBodyStillBeingSentIsNotLentAgain() throws Exception {
    int size = size();
    for (int i = 0; i <= OTHERS; i++) {
      enqueueFresh(body(i, size), 600);
      assertThat(get("/v/" + i, "Host", "photos.example").body()).hasSize(size);
    }
    edge.close();
    edge = EdgeNode.start(config(), clock); // memory empty: the first hit of each object is lent

    try (Socket slow = slowGet("/v/0", "photos.example")) {
      InputStream in = slow.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + size).containsIgnoringCase("hit");
      ByteArrayOutputStream received = new ByteArrayOutputStream(size);
      received.write(in.readNBytes(64 << 10)); // the response has started, then the client stalls

      for (int round = 0; round < 2; round++) {
        for (int i = 1; i <= OTHERS; i++) {
          Result r = get("/v/" + i, "Host", "photos.example");
          assertThat(r.hit()).isTrue();
          assertThat(r.body()).as("object %d", i).isEqualTo(body(i, size));
        }
      }

      received.write(in.readAllBytes());
      assertThat(received.size()).isEqualTo(size);
      String got = received.toString(StandardCharsets.US_ASCII);
      assertThat(got.equals(body(0, size)))
          .as("the stalled client received object 0 unchanged (first difference at %d)", firstDifference(got,
              body(0, size)))
          .isTrue();
    }
    assertThat(originRequests()).isEqualTo(OTHERS + 1);
  }

  private static int firstDifference(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      if (a.charAt(i) != b.charAt(i)) {
        return i;
      }
    }
    return n;
  }
}
