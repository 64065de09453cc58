package dev.cachalot.bench.hitrate;

import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.CacheTiers;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mapped tier itself (Chronicle Map segment ring in a temp dir), bounded by entries, for key-only traces.
 * {@code mapped-fifo} recycles segments without the frequency-aware second chance.
 */
final class MappedPolicy implements Policy, AutoCloseable {
  private static final Freshness FOREVER = new Freshness(Long.MAX_VALUE / 4, 0, 0, -1, -1, 0);
  private static final byte[] BODY = new byte[1];

  private final CacheTier tier;
  private final Path dir;
  private final boolean frequencyAware;

  MappedPolicy(long entries, boolean frequencyAware) {
    this.frequencyAware = frequencyAware;
    try {
      this.dir = Files.createTempDirectory("cachalot-sim");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.tier = CacheTiers.mappedForSimulation(new MappedTierConfig(dir, MappedTierConfig.MIN_SIZE,
        Math.max(1024, entries)), frequencyAware);
  }

  @Override
  public boolean access(int index, long key, int size) {
    CacheKey k = new CacheKey("sim", Long.toString(key));
    if (tier.lookup(k).join() != null) {
      return true;
    }
    tier.store(k, new StoredResponse(200, HttpFields.EMPTY, BODY, FOREVER, Variance.NONE, 0));
    return false;
  }

  @Override
  public String name() {
    return frequencyAware ? "mapped" : "mapped-fifo";
  }

  @Override
  public void close() {
    tier.close();
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // temp files; the OS cleans up
    }
  }
}
