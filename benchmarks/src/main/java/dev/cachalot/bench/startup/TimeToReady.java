package dev.cachalot.bench.startup;

import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.config.Sizes;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.CacheTiers;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Time-to-ready of the mapped tier: fills it with N small objects, closes it, and times reopening it after a clean
 * stop and after a simulated crash (no clean-shutdown marker: recovery). Then spot-checks that objects read back.
 *
 * <pre>java [chronicle flags] -cp benchmarks/target/benchmarks.jar dev.cachalot.bench.startup.TimeToReady DIR 1000000</pre>
 */
public final class TimeToReady {
  private TimeToReady() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    int bodySize = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
    long size = Math.max(64L << 20, (long) count * (bodySize + 400) * 5 / 4);
    MappedTierConfig config = new MappedTierConfig(dir, size, Math.max(8192, count * 5L / 4));
    Files.createDirectories(dir);
    StoredResponse response = new StoredResponse(200, HttpFields.of("Content-Type", "image/jpeg", "ETag", "\"e\"",
        "Cache-Control", "max-age=86400"), new byte[bodySize], new Freshness(86_400_000, 0, 0, -1, -1, 0),
        Variance.NONE, 0);
    long t0 = System.nanoTime();
    try (CacheTier tier = CacheTiers.mapped(config)) {
      for (int i = 0; i < count; i++) {
        tier.store(key(i), response);
      }
      System.out.printf("filled %,d objects of %d bytes (%s tier) in %.1f s; %s%n", count, bodySize,
          Sizes.format(size), (System.nanoTime() - t0) / 1e9, tier.stats());
    }
    System.out.printf("on disk: %.1f MiB (sparse files)%n", du(dir) / 1048576.0);
    time("reopen after a clean stop", config, count);
    Files.deleteIfExists(dir.resolve("CLEAN-SHUTDOWN")); // as after kill -9: the next open recovers
    time("reopen after a crash (recovery)", config, count);
  }

  private static void time(String what, MappedTierConfig config, int count) {
    long t = System.nanoTime();
    try (CacheTier tier = CacheTiers.mapped(config)) {
      double ready = (System.nanoTime() - t) / 1e6;
      int found = 0;
      for (int i = 0; i < count; i += Math.max(1, count / 1000)) {
        found += tier.lookup(key(i)).join() != null ? 1 : 0;
      }
      System.out.printf("%s: ready in %.0f ms; %d of %d sampled objects read back%n", what, ready, found,
          (count + Math.max(1, count / 1000) - 1) / Math.max(1, count / 1000));
    }
  }

  private static CacheKey key(int i) {
    return new CacheKey("img.example", "http://img.example/t/" + i + ".jpg");
  }

  private static long du(Path dir) throws Exception {
    Process p = new ProcessBuilder("du", "-sk", dir.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    p.waitFor();
    return Long.parseLong(out.split("\\s+")[0]) * 1024;
  }
}
