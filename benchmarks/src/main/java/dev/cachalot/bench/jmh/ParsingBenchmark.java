package dev.cachalot.bench.jmh;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.policy.CacheControl;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Per-request work outside the tiers: building the cache key and parsing Cache-Control. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ParsingBenchmark {
  public String host = "img.example.com";
  public String hostWithPort = "127.0.0.1:18040";
  public String target = "/photos/2026/11/whale-0042.jpg?w=640&h=480";
  public String cacheControl = "public, max-age=3600, stale-while-revalidate=60, stale-if-error=86400";

  @Benchmark
  public CacheKey cacheKey() {
    return CacheKeyFactory.of("http", host, target);
  }

  @Benchmark
  public CacheKey cacheKeyIpHost() {
    return CacheKeyFactory.of("http", hostWithPort, target);
  }

  @Benchmark
  public CacheControl cacheControl() {
    return CacheControl.parse(cacheControl);
  }

  @Benchmark
  public CacheControl cdnCacheControl() {
    return CacheControl.parseTargeted("max-age=3600, stale-while-revalidate=60");
  }
}
