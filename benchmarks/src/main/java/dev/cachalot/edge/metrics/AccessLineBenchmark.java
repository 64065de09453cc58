package dev.cachalot.edge.metrics;

import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an access-log line costs the edge: taking a request's fields, and formatting a batch of them as bytes
 * ({@link PendingLines} and {@link LineBuffer} are package-private, so this benchmark lives in their package).
 * Scores are per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AccessLineBenchmark {
  private static final byte[] PEER = "203.0.113.7 - - [".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATE = "22/Nov/2026:06:00:00 +0000".getBytes(StandardCharsets.US_ASCII);
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0";

  private final PendingLines pending = new PendingLines();
  private final LineBuffer out = new LineBuffer(128 * 1024);
  private byte[] spare = new byte[128 * 1024];

  private int takeAndFormat(String path, long bytes, @Nullable String referer, @Nullable String userAgent) {
    for (int i = 0; i < PendingLines.CAPACITY; i++) {
      pending.add(PEER, i, Methods.GET, path, null, Protocols.HTTP_1_1, 200, bytes, referer, userAgent,
          CacheResult.HIT, TrafficCounters.Tier.MEMORY, -1, 81_000);
    }
    pending.formatInto(out, n -> DATE);
    int n = out.length();
    spare = out.drain(spare).bytes; // as the appender gives arrays back
    return n;
  }

  /** Taking the fields and formatting the lines: the whole cost on the I/O thread. */
  @Benchmark
  @OperationsPerInvocation(PendingLines.CAPACITY)
  public int takeAndFormat() {
    return takeAndFormat("/photos/2026/11/whale-0042.jpg", 31_972, "https://example.com/gallery", UA);
  }

  /** As the benchmark harness's hot-small requests (no Referer, no User-Agent, a short path). */
  @Benchmark
  @OperationsPerInvocation(PendingLines.CAPACITY)
  public int takeAndFormatPlain() {
    return takeAndFormat("/hot/0042.jpg", 8192, null, null);
  }
}
