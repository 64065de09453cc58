package dev.cachalot.edge.http;

import java.util.List;
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

/**
 * Parsing the Range field against a stored length ({@link ByteRanges} is package-private in the edge, so this
 * benchmark lives in its package): what a video player sends, a suffix, and a multipart request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RangeParsingBenchmark {
  public String single = "bytes=73400320-74448895";
  public String suffix = "bytes=-1048576";
  public String multipart = "bytes=0-99, 2000-2999, 500000-";
  public long length = 209_715_200L;

  @Benchmark
  public @org.jspecify.annotations.Nullable List<ByteRanges.Range> singleRange() {
    return ByteRanges.parse(single, length);
  }

  @Benchmark
  public @org.jspecify.annotations.Nullable List<ByteRanges.Range> suffixRange() {
    return ByteRanges.parse(suffix, length);
  }

  @Benchmark
  public @org.jspecify.annotations.Nullable List<ByteRanges.Range> multipartRange() {
    return ByteRanges.parse(multipart, length);
  }
}
