package dev.cachalot.edge.tier;

import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process for the crash test: writes objects to a mapped tier as fast as it can and prints
 * {@code stored N} after each write returns, until it is killed.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  static String body(int i) {
    return "CRASH-" + i + "-" + "x".repeat(1000 + (i % 7) * 1000);
  }

  static CacheKey key(int i) {
    return new CacheKey("h", "http://h/crash/" + i);
  }

  public static void main(String[] args) {
    CacheTier tier = CacheTiers.mapped(new MappedTierConfig(Path.of(args[0]), 32L << 20, 8192));
    for (int i = 0; ; i++) {
      tier.store(key(i), new StoredResponse(200, HttpFields.of("ETag", "\"" + i + "\""),
          body(i).getBytes(StandardCharsets.UTF_8), new Freshness(600_000, 0, 1, -1, -1, 0), Variance.NONE, 1));
      System.out.println("stored " + i);
      System.out.flush();
    }
  }
}
