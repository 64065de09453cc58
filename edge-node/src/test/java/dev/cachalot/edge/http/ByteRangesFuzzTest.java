package dev.cachalot.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Any Range field, well formed or not, against any length: parsing never throws, and every range it returns lies
 * inside the representation. The long run is in {@code mvn -Pslow verify}.
 */
class ByteRangesFuzzTest {
  private static final String[] PIECES = {"bytes=", "BYTES=", "bytes =", "items=", "0", "1", "9", "42", "-", "-",
      ",", ",", " ", "\t", "99999999999999999999", "9223372036854775807", "+1", "=", "a", "\u00e9", ""};

  @Test
  void rangesStayInsideTheRepresentationFixedSeed() {
    fuzz(7, 20_000);
  }

  @Tag("slow")
  @Test
  void rangesStayInsideTheRepresentationRandomSeeds() {
    fuzz(System.nanoTime(), 20_000_000);
  }

  private static void fuzz(long seed, int cases) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < cases; i++) {
      StringBuilder field = new StringBuilder(r.nextInt(3) == 0 ? "" : "bytes=");
      int n = r.nextInt(12);
      for (int p = 0; p < n; p++) {
        field.append(PIECES[r.nextInt(PIECES.length)]);
      }
      long length = switch (r.nextInt(4)) {
        case 0 -> 0;
        case 1 -> r.nextInt(100);
        case 2 -> r.nextLong(1L << 40);
        default -> Long.MAX_VALUE;
      };
      List<ByteRanges.Range> ranges = ByteRanges.parse(field.toString(), length);
      if (ranges == null) {
        continue;
      }
      assertThat(ranges.size()).as("seed %d, '%s'", seed, field).isLessThanOrEqualTo(ByteRanges.MAX_RANGES);
      for (ByteRanges.Range range : ranges) {
        assertThat(range.first()).as("seed %d, '%s' of %d", seed, field, length).isBetween(0L, range.last());
        assertThat(range.last()).as("seed %d, '%s' of %d", seed, field, length).isLessThan(length);
      }
    }
  }
}
