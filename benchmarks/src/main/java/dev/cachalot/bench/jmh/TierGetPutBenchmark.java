package dev.cachalot.bench.jmh;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.tier.CacheEntry;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.CacheTiers;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Get and put per tier and value size, one thread (sized for a 2-core machine). {@code get} reads one of 1024
 * stored keys; {@code put} overwrites one of them. The mapped tier's get includes the CRC32C check and decoding;
 * the tiered get is served from memory (the hot set fits), which is the hit path the edge sees.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TierGetPutBenchmark {
  private static final int KEYS = 1024;

  @Param({"memory", "mapped", "tiered"})
  public String tier;

  @Param({"8192", "262144"})
  public int valueSize;

  private CacheTier cache;
  private CacheKey[] keys;
  private StoredResponse response;
  private Path dir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("cachalot-jmh");
    long mappedSize = Math.max(64L << 20, 4L * KEYS * valueSize);
    MappedTierConfig mapped = new MappedTierConfig(dir, mappedSize, Math.max(8192, 4L * KEYS));
    cache = switch (tier) {
      case "memory" -> CacheTiers.memory(1L << 30);
      case "mapped" -> CacheTiers.mapped(mapped);
      default -> CacheTiers.tiered(new CacheConfig(1L << 30, 64L << 20, Duration.ofDays(1), Duration.ZERO,
          Duration.ofMinutes(2), Duration.ofSeconds(30), Set.of()), mapped);
    };
    response = new StoredResponse(200, HttpFields.of("Content-Type", "image/jpeg", "ETag", "\"abc\"",
        "Cache-Control", "max-age=3600"), new byte[valueSize], new Freshness(3_600_000, 0, 0, -1, -1, 0),
        Variance.NONE, 0);
    keys = new CacheKey[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = new CacheKey("img.example", "http://img.example/photos/" + i + ".jpg");
      cache.store(keys[i], response);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    cache.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public CacheEntry get() {
    return cache.lookup(keys[ThreadLocalRandom.current().nextInt(KEYS)]).join();
  }

  @Benchmark
  public void put() {
    cache.store(keys[ThreadLocalRandom.current().nextInt(KEYS)], response);
  }
}
