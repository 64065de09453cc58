package dev.cachalot.bench.jmh;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.ServerConfig;
import dev.cachalot.edge.EdgeNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * An in-process hit through Undertow on loopback: one keep-alive connection sends a GET for a cached object and
 * reads the whole response. Includes the client's side of loopback, so it is a latency figure for one hit, not
 * the server's throughput (the load runs measure that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EdgeHitBenchmark {
  @Param({"8192"})
  public int size;

  private EdgeNode edge;
  private Path origin;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private byte[] request;
  private final byte[] buffer = new byte[1 << 20];

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    origin = Files.createTempDirectory("cachalot-jmh-origin");
    Files.write(origin.resolve("hot.jpg"), new byte[size]);
    OriginConfig o = new OriginConfig("default", origin.toUri(), null, OriginConfig.ALL_HOSTS, Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(5), dev.cachalot.config.ResilienceConfig.defaults(), false,
        "public, max-age=3600");
    edge = EdgeNode.start(new EdgeConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), o,
        new CacheConfig(64L << 20, 1L << 20, Duration.ofDays(1), Duration.ZERO, Duration.ofMinutes(2),
            Duration.ofSeconds(30), Set.of()), new ServerConfig(1, 1L << 20, "cachalot")));
    socket = new Socket(java.net.InetAddress.getLoopbackAddress(), edge.address().getPort());
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = socket.getInputStream();
    request = "GET /hot.jpg HTTP/1.1\r\nHost: img.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    hit(); // the miss that fills the cache
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    socket.close();
    edge.close();
  }

  @Benchmark
  public int hit() throws IOException {
    out.write(request);
    out.flush();
    // read the head, find Content-Length, then the body
    int read = 0;
    int headEnd = -1;
    while (headEnd < 0) {
      int n = in.read(buffer, read, buffer.length - read);
      if (n < 0) {
        throw new IOException("connection closed");
      }
      read += n;
      headEnd = indexOf(buffer, read);
    }
    String head = new String(buffer, 0, headEnd, StandardCharsets.US_ASCII);
    int cl = head.indexOf("Content-Length: ");
    int length = Integer.parseInt(head.substring(cl + 16, head.indexOf('\r', cl)));
    int total = headEnd + 4 + length;
    while (read < total) {
      int n = in.read(buffer, read, total - read);
      if (n < 0) {
        throw new IOException("connection closed");
      }
      read += n;
    }
    return read;
  }

  private static int indexOf(byte[] b, int end) {
    for (int i = 0; i + 3 < end; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
