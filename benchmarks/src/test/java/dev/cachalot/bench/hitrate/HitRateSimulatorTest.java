package dev.cachalot.bench.hitrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The trace readers and the reference policies, against the shared traces and their published numbers. */
class HitRateSimulatorTest {
  /** ../shared/traces beside the repository (CI has it there too). */
  static final Path TRACES = Path.of("..", "..", "shared", "traces").toAbsolutePath().normalize();

  static Trace trace(String file) throws IOException {
    Path p = TRACES.resolve(file);
    assertThat(p).as("shared trace " + file + " (expected beside the repository)").exists();
    return TraceReaders.read(p);
  }

  @Test
  void readersParseTheFixtureTracesWithTheRightCounts() throws IOException {
    Trace adapt = trace("caffeine-adaptsize-request.trace.xz");
    assertThat(adapt.length()).isEqualTo(66_987);
    assertThat(adapt.hasSizes()).isTrue();
    assertThat(adapt.uniqueBytes()).isEqualTo(304_213_576L);
    assertThat(adapt.distinctKeys()).isEqualTo(40_240); // distinct (id, size) pairs

    Trace scarab = trace("caffeine-scarab-recs.trace.xz");
    assertThat(scarab.length()).isEqualTo(1_245_184);
    assertThat(scarab.distinctKeys()).isEqualTo(258_368);

    Trace web12 = trace("cache2k-web12.trace.xz");
    assertThat(web12.length()).isEqualTo(95_607);
    assertThat(web12.distinctKeys()).isEqualTo(13_756);
    Trace web07 = trace("cache2k-web07.trace.xz");
    assertThat(web07.length()).isEqualTo(76_118);
    assertThat(web07.distinctKeys()).isEqualTo(20_484);
  }

  @Test
  void lruAndBeladyReproduceThePublishedScarabNumbers() throws IOException {
    Trace scarab = trace("caffeine-scarab-recs.trace.xz");
    assertThat(String.format(java.util.Locale.ROOT, "%.4f",
        Simulator.run(scarab, "lru", 100_000).objectHitRatio())).isEqualTo("0.7591");
    assertThat(String.format(java.util.Locale.ROOT, "%.4f",
        Simulator.run(scarab, "belady", 100_000).objectHitRatio())).isEqualTo("0.7925");
  }

  @Test
  void beladyNeverScoresBelowLru() throws IOException {
    for (String file : new String[] {"cache2k-web12.trace.xz", "cache2k-web07.trace.xz",
        "caffeine-adaptsize-request.trace.xz"}) {
      Trace t = trace(file);
      long unique = t.uniqueBytes();
      for (double share : new double[] {0.005, 0.05, 0.25}) {
        long capacity = Math.max(1, Math.round(unique * share));
        Simulator.Result lru = Simulator.run(t, "lru", capacity);
        Simulator.Result opt = Simulator.run(t, "belady", capacity);
        assertThat(opt.objectHitRatio()).as("%s at %.1f%%", file, share * 100)
            .isGreaterThanOrEqualTo(lru.objectHitRatio());
      }
    }
  }

  @Test
  void mappedTierRecyclingBeatsPlainFifo() throws IOException {
    for (String file : new String[] {"cache2k-web12.trace.xz", "cache2k-web07.trace.xz"}) {
      Trace t = trace(file);
      for (long entries : new long[] {1000, 3000}) {
        double aware = Simulator.run(t, "mapped", entries).objectHitRatio();
        double fifo = Simulator.run(t, "mapped-fifo", entries).objectHitRatio();
        assertThat(aware).as("%s at %d entries", file, entries).isGreaterThan(fifo);
      }
    }
  }

  @Test
  void cachalotPolicyRunsTheRealMemoryTier() throws IOException {
    Trace web12 = trace("cache2k-web12.trace.xz");
    Simulator.Result r = Simulator.run(web12, "cachalot", 1000);
    assertThat(r.objectHitRatio()).isBetween(0.5, 0.8);
    assertThat(Files.exists(TRACES)).isTrue();
  }
}
