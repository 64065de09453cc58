package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mapped hits lent from a sealed segment's own mapping: same bytes, no use after unmap, damage still caught. */
class SealedViewTest {
  private static final int SIZE = 100_000;
  @TempDir Path dir;
  private final Executor sameThread = Runnable::run;
  private final BodyPool pool = new BodyPool();

  /** 8 segments of 2 MiB: a segment is sealed after about 18 of these objects. */
  private ChronicleTier tier() {
    return ChronicleTier.open(new MappedTierConfig(dir, 16L << 20, 1024), new FrequencySketch(1024), sameThread,
        false);
  }

  private static byte[] bytes(int i) {
    byte[] b = new byte[SIZE];
    Arrays.fill(b, (byte) ('A' + i % 26));
    b[0] = (byte) i;
    return b;
  }

  private static CacheKey key(int i) {
    return new CacheKey("h", "http://h/v-" + i);
  }

  private static void store(ChronicleTier t, int i) {
    t.store(key(i), new StoredResponse(200, HttpFields.of("X", "1"), bytes(i), new Freshness(60_000, 0, 1, -1, -1, 0),
        Variance.NONE, 1));
  }

  private static byte[] body(CacheEntry e) {
    ByteBuffer b = e.variants().get(0).bodyBuffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** The segment that holds {@code key}, found through its lending. */
  private static MappedSegment holder(ChronicleTier t, CacheKey key) {
    for (MappedSegment s : t.segments()) {
      BodyPool.Lease lease = s.lendView(ChronicleTier.keyBytes(key));
      if (lease != null) {
        lease.release();
        return s;
      }
    }
    throw new AssertionError("no sealed segment lends " + key);
  }

  @Test
  void aSealedSegmentLendsItsOwnBytesAndStaysMappedUntilTheLastSliceIsGivenBack() {
    try (ChronicleTier t = tier()) {
      store(t, 0);
      assertThat(t.segments()[0].lendView(ChronicleTier.keyBytes(key(0)))).as("the newest segment is not sealed")
          .isNull();
      for (int i = 1; i <= 20; i++) {
        store(t, i);
      }
      MappedSegment sealed = holder(t, key(0));
      assertThat(sealed).isNotSameAs(t.segments()[0]);

      CacheEntry lent = t.readLent(key(0), pool);
      assertThat(lent).isNotNull();
      assertThat(lent.lent()).isTrue();
      assertThat(body(lent)).isEqualTo(bytes(0));

      for (int i = 21; i < 400; i++) { // fills the ring: the sealed segment is recycled and its file deleted
        store(t, i);
      }
      assertThat(Arrays.asList(t.segments())).doesNotContain(sealed);
      assertThat(Files.exists(sealed.file)).isFalse();
      assertThat(sealed.viewMapped()).as("still lent, so still mapped").isTrue();
      assertThat(body(lent)).isEqualTo(bytes(0));

      lent.release();
      assertThat(sealed.viewMapped()).as("unmapped when the last slice is given back").isFalse();
    }
  }

  @Test
  void aDamagedValueInASealedSegmentIsDroppedNotLent() throws Exception {
    try (ChronicleTier t = tier()) {
      for (int i = 0; i <= 20; i++) {
        store(t, i);
      }
      MappedSegment sealed = holder(t, key(0));
      byte[] marker = bytes(0);
      try (FileChannel ch = FileChannel.open(sealed.file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer all = ByteBuffer.allocate((int) ch.size());
        ch.read(all, 0);
        byte[] file = all.array();
        int at = ChronicleTierTest.indexOf(file, Arrays.copyOf(marker, 64));
        assertThat(at).isPositive();
        ch.write(ByteBuffer.wrap(new byte[] {(byte) (file[at + 5000] ^ 0x5a)}), at + 5000);
      }
      assertThat(t.readLent(key(0), pool)).isNull();
      assertThat(t.stats().integrityFailures()).isEqualTo(1);
      CacheEntry other = t.readLent(key(1), pool);
      assertThat(other).isNotNull();
      assertThat(body(other)).isEqualTo(bytes(1));
      other.release();
    }
  }
}
