package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.MappedTierConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stress (the {@code slow} profile): many misses in a row on a tiered edge, most of them streamed to the client as
 * the origin's body arrives. A streamer that reads the body's length, then finds it complete, once cut the response
 * short when the last bytes came in between (about one run in 400 with both cores busy). Any truncated or wrong
 * body fails it.
 */
@Tag("slow")
class StreamedMissStressIT extends EdgeTestBase {
  @TempDir Path dir;

  @Override
  protected EdgeConfig config() {
    return withMappedTier(1L << 20, 1L << 20, MappedTierConfig.of(dir, 64L << 20));
  }

  private static String body(int i) {
    StringBuilder b = new StringBuilder();
    int size = 300 + (int) ((i * 7919L) % 200_000); // 300 B to 200 kB: stored whole, and streamed from 64 KiB
    while (b.length() < size) {
      b.append("object-").append(i).append('/').append(b.length()).append(';');
    }
    return b.toString();
  }

  @RepeatedTest(400)
  void everyMissIsWhole() throws Exception {
    for (int i = 0; i < 40; i++) {
      enqueueFresh(body(i), 600);
      assertThat(get("/l/" + i, "Host", "photos.example").body()).as("object " + i).isEqualTo(body(i));
    }
  }
}
