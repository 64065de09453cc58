package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that ask for an object while it is being fetched get its bytes as they arrive. The origin sends the
 * first part of the body, then holds the rest until the test opens a gate: every client must have its first bytes
 * while the gate is shut, so before the fill could complete.
 */
class StreamingFillIT {
  static final int MIB = 1 << 20;
  static final int CLIENTS = 20;
  /** Bytes the origin sends before it waits at the gate. */
  static final int BEFORE_GATE = 300 * 1024;

  final byte[] large = SlicingIT.object(12 * MIB, 1); // above the 4 MiB threshold: stored as 1 MiB slices
  final byte[] medium = SlicingIT.object(2 * MIB, 1); // below it: stored whole
  final CountDownLatch gate = new CountDownLatch(1);
  final AtomicInteger originRequests = new AtomicInteger();
  final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
  final ExecutorService clients = Executors.newCachedThreadPool();
  ServerSocket origin;
  EdgeNode edge;

  @BeforeEach
  void start() throws IOException {
    origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptOrigin, "gated-origin");
    acceptor.setDaemon(true);
    acceptor.start();
    CacheConfig cache = new CacheConfig(256L * MIB, 16L * MIB, Duration.ofDays(1), Duration.ZERO,
        Duration.ofMinutes(2), Duration.ofSeconds(30), java.util.Set.of()).withSlicing(MIB, 4L * MIB);
    OriginConfig o = OriginConfig.of("http://127.0.0.1:" + origin.getLocalPort() + "/")
        .withResilience(EdgeTestBase.scripted());
    edge = EdgeNode.start(new EdgeConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), o, cache,
        new ServerConfig(2, 1L << 20, "cachalot")));
  }

  @AfterEach
  void stop() throws IOException {
    gate.countDown();
    clients.shutdownNow();
    edge.close();
    origin.close();
  }

  @Test
  void twentyClientsOfAColdLargeObjectGetBytesBeforeTheFillCompletes() throws Exception {
    concurrentClientsStreamOneFill("/large.mp4", large);
  }

  @Test
  void twentyClientsOfAColdUnslicedObjectGetBytesBeforeTheFillCompletes() throws Exception {
    concurrentClientsStreamOneFill("/medium.mp4", medium);
  }

  @Test
  void aClientThatGoesAwayMidStreamDoesNotBreakTheFill() throws Exception {
    CountDownLatch firstBytes = new CountDownLatch(2);
    Future<byte[]> stays = clients.submit(() -> read("/medium.mp4", firstBytes, false));
    Future<byte[]> leaves = clients.submit(() -> read("/medium.mp4", firstBytes, true));
    assertThat(firstBytes.await(20, TimeUnit.SECONDS)).as("both clients have bytes before the gate").isTrue();
    assertThat(leaves.get(20, TimeUnit.SECONDS)).hasSize(1);
    gate.countDown();
    assertThat(stays.get(20, TimeUnit.SECONDS)).isEqualTo(medium);
    assertThat(Await.until(() -> cacheStatus("/medium.mp4").contains("hit"), Duration.ofSeconds(10))).isTrue();
    assertThat(originRequests.get()).isEqualTo(1);
  }

  @Test
  void aRangeOfAnObjectBeingFetchedStreamsFromTheFill() throws Exception {
    CountDownLatch firstBytes = new CountDownLatch(1);
    Future<byte[]> whole = clients.submit(() -> read("/medium.mp4", firstBytes, false));
    assertThat(firstBytes.await(20, TimeUnit.SECONDS)).isTrue();
    Future<byte[]> range = clients.submit(() -> {
      Request r = new Request.Builder().url(url("/medium.mp4")).header("Range", "bytes=100-199").build();
      try (Response resp = client.newCall(r).execute()) {
        assertThat(resp.code()).isEqualTo(206);
        assertThat(resp.header("Content-Range")).isEqualTo("bytes 100-199/" + medium.length);
        return resp.body().bytes();
      }
    });
    assertThat(range.get(20, TimeUnit.SECONDS)).as("inside the part already here: no need to wait")
        .isEqualTo(java.util.Arrays.copyOfRange(medium, 100, 200));
    gate.countDown();
    assertThat(whole.get(20, TimeUnit.SECONDS)).isEqualTo(medium);
    assertThat(originRequests.get()).isEqualTo(1);
  }

  private void concurrentClientsStreamOneFill(String path, byte[] expected) throws Exception {
    CountDownLatch firstBytes = new CountDownLatch(CLIENTS);
    List<Future<byte[]>> bodies = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      bodies.add(clients.submit(() -> read(path, firstBytes, false)));
    }
    assertThat(firstBytes.await(20, TimeUnit.SECONDS))
        .as("every client has its first bytes while the origin still holds the rest").isTrue();
    assertThat(originRequests.get()).as("one origin fetch for all").isEqualTo(1);
    gate.countDown();
    for (Future<byte[]> body : bodies) {
      assertThat(body.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
    }
    assertThat(originRequests.get()).isEqualTo(1);
    assertThat(edge.context().sliceStats().streamed() + edge.context().sliceStats().waits())
        .as("every client streamed the fill, or waited on a slice of it").isGreaterThanOrEqualTo(CLIENTS);
  }

  /** GETs {@code path}, counts down once the first byte is in, and returns the body (one byte if it leaves). */
  private byte[] read(String path, CountDownLatch firstBytes, boolean leaveEarly) throws IOException {
    Response resp = client.newCall(new Request.Builder().url(url(path)).build()).execute();
    InputStream in = resp.body().byteStream();
    int first = in.read();
    firstBytes.countDown();
    if (leaveEarly) {
      resp.close();
      return new byte[] {(byte) first};
    }
    byte[] rest = in.readAllBytes();
    resp.close();
    byte[] all = new byte[rest.length + 1];
    all[0] = (byte) first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private String cacheStatus(String path) {
    try (Response r = client.newCall(new Request.Builder().url(url(path)).build()).execute()) {
      r.body().bytes();
      return String.valueOf(r.header("Cache-Status"));
    } catch (IOException e) {
      return "";
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + edge.address().getPort() + path;
  }

  private void acceptOrigin() {
    while (!origin.isClosed()) {
      try {
        Socket s = origin.accept();
        Thread t = new Thread(() -> answer(s), "gated-origin-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** 200 with the whole body: the first part at once, the rest once the gate opens. Ranges are not honoured. */
  private void answer(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      String head = readHead(in);
      originRequests.incrementAndGet();
      byte[] body = head.startsWith("GET /large.mp4") ? large : medium;
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nETag: \"v1\"\r\n"
          + "Cache-Control: max-age=600\r\nContent-Type: video/mp4\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, 0, BEFORE_GATE);
      out.flush();
      if (!gate.await(60, TimeUnit.SECONDS)) {
        return;
      }
      out.write(body, BEFORE_GATE, body.length - BEFORE_GATE);
      out.flush();
    } catch (IOException | InterruptedException e) {
      // the test is over
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return b.toString();
  }
}
