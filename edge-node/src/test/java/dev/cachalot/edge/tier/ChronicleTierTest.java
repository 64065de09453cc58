package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the mapped tier does: persistence, integrity checks, format checks, frequency-aware recycling. */
class ChronicleTierTest {
  @TempDir Path dir;

  private static StoredResponse body(String text) {
    return new StoredResponse(200, HttpFields.of("X", "1"), text.getBytes(StandardCharsets.UTF_8),
        new Freshness(60_000, 0, 1, -1, -1, 0), Variance.NONE, 1);
  }

  private static CacheKey key(int i) {
    return new CacheKey("h", "http://h/object-" + i);
  }

  @Test
  void survivesAReopen() {
    MappedTierConfig c = MappedTierConfig.of(dir, 64L << 20);
    try (CacheTier t = CacheTiers.mapped(c)) {
      for (int i = 0; i < 100; i++) {
        t.store(key(i), body("BODY-" + i));
      }
    }
    assertThat(dir.resolve(ChronicleTier.CLEAN_FILE)).exists();
    try (CacheTier t = CacheTiers.mapped(c)) {
      assertThat(dir.resolve(ChronicleTier.CLEAN_FILE)).doesNotExist();
      for (int i = 0; i < 100; i++) {
        assertThat(new String(t.lookup(key(i)).join().variants().get(0).body())).isEqualTo("BODY-" + i);
      }
    }
  }

  @Test
  void damagedEntriesAreDroppedCountedAndNeverServed() throws Exception {
    MappedTierConfig c = MappedTierConfig.of(dir, 64L << 20);
    try (CacheTier t = CacheTiers.mapped(c)) {
      for (int i = 0; i < 20; i++) {
        t.store(key(i), body("PAYLOAD-" + i + "-" + "z".repeat(200)));
      }
    }
    int flipped = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".cmap")).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        for (int i = 0; i < 20; i += 2) { // damage the bodies of every other object
          int at = indexOf(bytes, ("PAYLOAD-" + i + "-").getBytes(StandardCharsets.UTF_8));
          if (at >= 0) {
            bytes[at + 12] ^= 0x5a;
            flipped++;
          }
        }
        Files.write(f, bytes);
      }
    }
    assertThat(flipped).isEqualTo(10);
    try (CacheTier t = CacheTiers.mapped(c)) {
      int intact = 0;
      for (int i = 0; i < 20; i++) {
        CacheEntry e = t.lookup(key(i)).join();
        if (e != null) {
          assertThat(new String(e.variants().get(0).body())).isEqualTo("PAYLOAD-" + i + "-" + "z".repeat(200));
          intact++;
        }
      }
      assertThat(intact).isEqualTo(10);
      assertThat(t.stats().integrityFailures()).isEqualTo(10);
      assertThat(t.lookup(key(0)).join()).as("dropped, now a plain miss").isNull();
      assertThat(t.stats().integrityFailures()).isEqualTo(10);
    }
  }

  @Test
  void refusesFilesOfAnotherFormatOrGeometry() throws Exception {
    MappedTierConfig c = MappedTierConfig.of(dir, 64L << 20);
    CacheTiers.mapped(c).close();
    assertThatThrownBy(() -> CacheTiers.mapped(MappedTierConfig.of(dir, 128L << 20)))
        .isInstanceOf(TierOpenException.class).hasMessageContaining("was created with entriesPerSegment=");
    Path format = dir.resolve(ChronicleTier.FORMAT_FILE);
    Files.writeString(format, Files.readString(format).replace("format=1", "format=99"));
    assertThatThrownBy(() -> CacheTiers.mapped(c))
        .isInstanceOf(TierOpenException.class)
        .hasMessageContaining("holds format 99 files; this release reads format 1");
  }

  @Test
  void recyclingGivesPopularObjectsASecondChance() {
    MappedTierConfig c = new MappedTierConfig(dir, 16L << 20, 1024); // 8 segments of 2 MiB
    String filler = "f".repeat(60 * 1024);
    try (CacheTier t = CacheTiers.mapped(c)) {
      List<CacheKey> popular = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        popular.add(new CacheKey("h", "http://h/popular-" + i));
        t.store(popular.get(i), body("POPULAR-" + i + filler));
      }
      for (int round = 0; round < 1000; round++) {
        t.store(key(round), body("ONCE-" + round + filler));
        if (round % 10 == 0) {
          for (CacheKey k : popular) {
            assertThat(t.lookup(k).join()).as("popular object kept after %d one-hit objects", round).isNotNull();
          }
        }
      }
      assertThat(t.lookup(key(0)).join()).as("a one-hit object from long ago is gone").isNull();
      assertThat(t.stats().evictions()).isPositive();
      assertThat(t.stats().bytes()).isLessThanOrEqualTo(16L << 20);
    }
  }

  @Test
  void secondChancesNeverTakeTheTierPastItsEntryBound() {
    // every object is read again, so every one asks for a second chance when its segment is recycled
    try (CacheTier t = CacheTiers.mapped(new MappedTierConfig(dir, 16L << 20, 1024))) {
      for (int i = 0; i < 20_000; i++) {
        t.store(key(i), body("tiny-" + i));
        t.lookup(key(i)).join();
        t.lookup(key(i / 2)).join();
        assertThat(t.stats().objects()).as("after %d writes", i).isLessThanOrEqualTo(1024);
      }
      assertThat(t.stats().evictions()).isPositive();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void aSegmentWhoseCreationWasInterruptedLeavesNothingThatStopsTheNextStart() throws Exception {
    MappedTierConfig c = new MappedTierConfig(dir, 16L << 20, 1024); // 8 segments of 2 MiB
    String big = "x".repeat(300_000);
    try (CacheTier t = CacheTiers.mapped(c)) {
      t.store(key(0), body(big));
      Thread interrupted = new Thread(() -> {
        Thread.currentThread().interrupt(); // as a shutting-down executor does to a task still storing
        for (int i = 1; i < 12; i++) { // past one segment's budget: a new segment is created
          t.store(key(i), body(big));
        }
      });
      interrupted.start();
      interrupted.join();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
    try (CacheTier t = CacheTiers.mapped(c)) { // opens at once, rather than wait a minute for a half-made file
      assertThat(new String(t.lookup(key(0)).join().variants().get(0).body())).isEqualTo(big);
      t.store(key(99), body("after"));
      assertThat(new String(t.lookup(key(99)).join().variants().get(0).body())).isEqualTo("after");
    }
  }

  @Test
  void aLeftoverPartialSegmentIsDeletedAtOpen() throws Exception {
    MappedTierConfig c = MappedTierConfig.of(dir, 64L << 20);
    CacheTiers.mapped(c).close();
    Path partial = dir.resolve("seg-9.cmap.partial");
    Files.write(partial, new byte[4096]); // what a crash during a segment's creation leaves
    try (CacheTier t = CacheTiers.mapped(c)) {
      assertThat(partial).doesNotExist();
      t.store(key(1), body("one"));
      assertThat(new String(t.lookup(key(1)).join().variants().get(0).body())).isEqualTo("one");
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
