package dev.cachalot.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Any Cache-Control field parses without throwing, and delta-seconds stay within [0, MAX_DELTA] or unset (-1).
 * The long run is in {@code mvn -Pslow verify}.
 */
class CacheControlFuzzTest {
  private static final String[] PIECES = {"max-age", "s-maxage", "no-cache", "private", "no-store", "public",
      "stale-while-revalidate", "stale-if-error", "max-stale", "min-fresh", "must-revalidate", "=", "=", "\"", "\"",
      ",", ",", " ", "\t", "0", "60", "-1", "99999999999999999999", "1.5", "\\", "Set-Cookie", "MAX-AGE", "x", ""};

  @Test
  void anyFieldParsesFixedSeed() {
    fuzz(11, 20_000);
  }

  @Tag("slow")
  @Test
  void anyFieldParsesRandomSeeds() {
    fuzz(System.nanoTime(), 20_000_000);
  }

  private static void fuzz(long seed, int cases) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < cases; i++) {
      StringBuilder field = new StringBuilder();
      int n = r.nextInt(16);
      for (int p = 0; p < n; p++) {
        field.append(PIECES[r.nextInt(PIECES.length)]);
      }
      CacheControl cc = CacheControl.parse(field.toString());
      for (long delta : new long[] {cc.maxAge(), cc.sMaxAge(), cc.minFresh(), cc.staleWhileRevalidate(),
          cc.staleIfError()}) {
        assertThat(delta).as("seed %d, '%s'", seed, field).isBetween(-1L, CacheControl.MAX_DELTA);
      }
      CacheControl.parseTargeted(field.toString()); // must not throw either
    }
  }
}
