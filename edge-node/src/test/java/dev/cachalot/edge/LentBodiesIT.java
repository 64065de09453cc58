package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.MappedTierConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mapped hits that are not promoted are served from pooled direct buffers, given back when each response is sent.
 * Many clients at once, over objects of many sizes, with a memory tier too small to hold them: a buffer given back
 * too early, or reused while still being sent, would show as a wrong body.
 */
class LentBodiesIT extends EdgeTestBase {
  @TempDir Path dir;
  private static final int OBJECTS = 40;

  @Override
  protected EdgeConfig config() {
    return withMappedTier(1L << 20, 1L << 20, MappedTierConfig.of(dir, 64L << 20));
  }

  private static String body(int i) {
    StringBuilder b = new StringBuilder();
    int size = 300 + (int) ((i * 7919L) % 200_000); // 300 B to 200 kB: several of the pool's buffer sizes
    while (b.length() < size) {
      b.append("object-").append(i).append('/').append(b.length()).append(';');
    }
    return b.toString();
  }

  @Test
  void concurrentMappedHitsNeverMixBodies() throws Exception {
    for (int i = 0; i < OBJECTS; i++) {
      enqueueFresh(body(i), 600);
      assertThat(get("/l/" + i, "Host", "photos.example").body()).isEqualTo(body(i));
    }
    edge.close();
    edge = EdgeNode.start(config(), clock); // memory empty: every object is in the mapped tier only
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Random random = new Random(t);
        done.add(clients.submit(() -> {
          int checked = 0;
          for (int n = 0; n < 60; n++) {
            int i = random.nextInt(OBJECTS);
            Result r = get("/l/" + i, "Host", "photos.example");
            assertThat(r.hit()).isTrue();
            assertThat(r.body()).as("object %d", i).isEqualTo(body(i));
            checked++;
          }
          return checked;
        }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get()).isEqualTo(60);
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(originRequests()).isEqualTo(OBJECTS);
  }
}
