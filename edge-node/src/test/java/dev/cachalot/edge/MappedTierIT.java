package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.MappedTierConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge with its persisted tier: warm restarts, damaged files, and start-up errors. */
class MappedTierIT extends EdgeTestBase {
  @TempDir static Path tiers;
  private static int n;
  private Path dir;

  @Override
  protected EdgeConfig config() {
    if (dir == null) {
      dir = tiers.resolve("edge-" + (++n));
    }
    return super.config().withMapped(MappedTierConfig.of(dir, 64L << 20));
  }

  // a fixed Host: the restarted edge listens on another ephemeral port, and the Host is part of the key

  private void restart() {
    edge.close();
    edge = EdgeNode.start(config(), clock);
  }

  @Test
  void restartServesStoredObjectsAsHitsWithTheirAge() throws Exception {
    for (int i = 0; i < 20; i++) {
      enqueueFresh("object-" + i, 600);
      assertThat(get("/o/" + i, "Host", "photos.example").body()).isEqualTo("object-" + i);
    }
    clock.advanceSeconds(42);
    restart();
    for (int i = 0; i < 20; i++) {
      Result r = get("/o/" + i, "Host", "photos.example");
      assertThat(r.body()).isEqualTo("object-" + i);
      assertThat(r.cacheStatus()).isEqualTo("cachalot; hit; ttl=558");
      assertThat(r.header("Age")).isEqualTo("42");
    }
    restart(); // bodies read back from the mapped tier are slices of the stored value: ranges must still line up
    Result range = get("/o/13", "Host", "photos.example", "Range", "bytes=1-3, 7-8");
    assertThat(range.code()).isEqualTo(206);
    assertThat(range.body()).contains("Content-Range: bytes 1-3/9\r\n\r\nbje").contains("bytes 7-8/9\r\n\r\n13");
    assertThat(get("/o/13", "Host", "photos.example", "Range", "bytes=-2").body()).isEqualTo("13");
    assertThat(originRequests()).isEqualTo(20);
    assertThat(edge.context().cache().tierStats()).extracting(s -> s.tier()).containsExactly("memory", "mapped");
  }

  @Test
  void damagedObjectsAreFetchedAgainNeverServed() throws Exception {
    for (int i = 0; i < 10; i++) {
      enqueueFresh("GOOD-" + i + "-" + "p".repeat(300), 600);
      get("/d/" + i, "Host", "photos.example");
    }
    edge.close();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".cmap")).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 10; i += 2) {
          int at = text.indexOf("GOOD-" + i + "-");
          if (at >= 0) {
            bytes[at + 20] ^= 0x20;
          }
        }
        Files.write(f, bytes);
      }
    }
    edge = EdgeNode.start(config(), clock);
    for (int i = 0; i < 10; i++) {
      if (i % 2 == 0) {
        enqueueFresh("GOOD-" + i + "-" + "p".repeat(300), 600);
      }
      Result r = get("/d/" + i, "Host", "photos.example");
      assertThat(r.body()).isEqualTo("GOOD-" + i + "-" + "p".repeat(300));
      assertThat(r.hit()).as("object %d", i).isEqualTo(i % 2 == 1);
    }
    assertThat(originRequests()).isEqualTo(15);
    assertThat(edge.context().cache().stats().integrityFailures()).isEqualTo(5);
  }

  @Test
  void incompatibleFilesAreAClearStartupError() throws Exception {
    edge.close();
    Path format = dir.resolve("FORMAT");
    Files.writeString(format, Files.readString(format).replace("format=1", "format=7"));
    assertThatThrownBy(() -> EdgeNode.start(config(), clock))
        .isInstanceOf(EdgeStartException.class)
        .hasMessageContaining("tiers.mapped.dir")
        .hasMessageContaining("holds format 7 files");
    edge = null;
  }
}
