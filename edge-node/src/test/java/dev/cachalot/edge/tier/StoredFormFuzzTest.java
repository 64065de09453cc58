package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Damaged stored values (bit flips, overwritten runs, truncation, junk appended) are refused as corrupt, never
 * read as a different entry and never fail any other way. The long run is in {@code mvn -Pslow verify}.
 */
class StoredFormFuzzTest {
  private static final CacheKey KEY = new CacheKey("h", "http://h/photos/1.jpg?w=800");

  @Test
  void damagedValuesAreRefusedFixedSeed() {
    fuzz(42, 3_000);
  }

  @Tag("slow")
  @Test
  void damagedValuesAreRefusedRandomSeeds() {
    fuzz(System.nanoTime(), 3_000_000);
  }

  private static void fuzz(long seed, int cases) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < cases; i++) {
      byte[] original = StoredForm.encode(KEY, entry(random));
      assertThat(reencoded(original)).as("seed %d case %d: an intact value reads back", seed, i).isEqualTo(original);
      byte[] damaged = damage(original, random);
      try {
        CacheEntry read = StoredForm.decode(damaged, KEY);
        assertThat(StoredForm.encode(KEY, read)).as("seed %d case %d: decoded a damaged value", seed, i)
            .isEqualTo(original);
      } catch (StoredForm.CorruptEntryException expected) {
        // refused: the tier drops it and refetches
      }
    }
  }

  private static byte[] reencoded(byte[] value) {
    try {
      return StoredForm.encode(KEY, StoredForm.decode(value, KEY));
    } catch (StoredForm.CorruptEntryException e) {
      throw new AssertionError(e);
    }
  }

  private static CacheEntry entry(SplittableRandom r) {
    CacheEntry e = CacheEntry.of(response(r, null));
    int more = r.nextInt(3);
    for (int v = 0; v < more; v++) {
      e = e.with(response(r, "variant-" + v));
    }
    return e;
  }

  private static StoredResponse response(SplittableRandom r, String variant) {
    HttpFields.Builder h = HttpFields.builder();
    int headers = r.nextInt(6);
    for (int i = 0; i < headers; i++) {
      h.add("X-H" + i, "v" + r.nextInt(1_000_000));
    }
    byte[] body = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(2_000)];
    r.nextBytes(body);
    Variance vary = variant == null ? Variance.NONE
        : new Variance(new String[] {"accept-encoding"}, new String[] {variant});
    return new StoredResponse(200 + r.nextInt(300), h.build(), body,
        new Freshness(r.nextInt(1_000_000), 0, r.nextLong(1L << 40), -1, -1, r.nextInt(8)), vary, r.nextLong(1L << 40));
  }

  private static byte[] damage(byte[] v, SplittableRandom r) {
    switch (r.nextInt(4)) {
      case 0 -> {
        byte[] d = v.clone();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
          d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return d;
      }
      case 1 -> {
        byte[] d = v.clone();
        int from = r.nextInt(d.length);
        int to = Math.min(d.length, from + 1 + r.nextInt(64));
        for (int i = from; i < to; i++) {
          d[i] = (byte) r.nextInt(256);
        }
        return d;
      }
      case 2 -> {
        return Arrays.copyOf(v, r.nextInt(v.length));
      }
      default -> {
        byte[] d = Arrays.copyOf(v, v.length + 1 + r.nextInt(32));
        for (int i = v.length; i < d.length; i++) {
          d[i] = (byte) r.nextInt(256);
        }
        return d;
      }
    }
  }
}
