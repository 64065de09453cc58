package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.ServerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Large objects asked for by range are cached as 1 MiB slices, fetched from the origin only as needed. */
class SlicingIT {
  static final int MIB = 1 << 20;
  final MockWebServer origin = new MockWebServer();
  final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
  final AtomicLong originBytes = new AtomicLong();
  final AtomicLong originRequests = new AtomicLong();
  final java.util.Queue<String> originRanges = new java.util.concurrent.ConcurrentLinkedQueue<>();
  volatile int version = 1;
  volatile boolean ignoreRange;
  EdgeNode edge;
  final MissesOnce missesOnce = new MissesOnce();

  static byte[] object(int size, int version) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ((i * 31 + (i >> 8) + version * 97) & 0xff);
    }
    return b;
  }

  final byte[] big1 = object(20 * MIB, 1);
  final byte[] big2 = object(20 * MIB, 2);
  final byte[] medium = object(6 * MIB, 1);
  final byte[] small = object(2 * MIB, 1);

  @BeforeEach
  void start() throws Exception {
    Pattern range = Pattern.compile("bytes=(\\d+)-(\\d*)");
    origin.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        originRequests.incrementAndGet();
        originRanges.add(r.getTarget() + " " + r.getHeaders().get("Range"));
        byte[] body = switch (r.getTarget()) {
          case "/big.mp4", "/big-no-cache.mp4" -> version == 1 ? big1 : big2;
          case "/medium.mp4" -> medium;
          default -> small;
        };
        String etag = "\"v" + version + "\"";
        String rh = r.getHeaders().get("Range");
        Matcher m = rh == null || ignoreRange ? null : range.matcher(rh);
        MockResponse.Builder b = new MockResponse.Builder().addHeader("ETag", etag)
            .addHeader("Cache-Control", r.getTarget().equals("/big-no-cache.mp4") ? "no-cache" : "max-age=600")
            .addHeader("Content-Type", "video/mp4");
        if (m != null && m.matches()) {
          int from = Integer.parseInt(m.group(1));
          int to = m.group(2).isEmpty() ? body.length - 1 : Math.min(body.length - 1, Integer.parseInt(m.group(2)));
          originBytes.addAndGet(to - from + 1);
          return b.code(206).addHeader("Content-Range", "bytes " + from + "-" + to + "/" + body.length)
              .body(new Buffer().write(Arrays.copyOfRange(body, from, to + 1))).build();
        }
        originBytes.addAndGet(body.length);
        return b.code(200).body(new Buffer().write(body)).build();
      }
    });
    origin.start();
    CacheConfig cache = new CacheConfig(256L * MIB, 16L * MIB, Duration.ofDays(1), Duration.ZERO,
        Duration.ofMinutes(2), Duration.ofSeconds(30), Set.of()).withSlicing(MIB, 4L * MIB);
    OriginConfig o = OriginConfig.of(origin.url("/").toString()).withResilience(EdgeTestBase.scripted());
    edge = EdgeNode.start(new EdgeConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), o, cache,
        new ServerConfig(2, 1L << 20, "cachalot")), System::currentTimeMillis, missesOnce::wrap);
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  record Got(int code, byte[] body, String cacheStatus, String contentRange) {}

  Got get(String path, String range) throws Exception {
    Request.Builder b = new Request.Builder().url("http://127.0.0.1:" + edge.address().getPort() + path);
    if (range != null) {
      b.header("Range", range);
    }
    try (Response r = client.newCall(b.build()).execute()) {
      return new Got(r.code(), r.body().bytes(), r.header("Cache-Status"), r.header("Content-Range"));
    }
  }

  Got getUnchecked(String path, String range) {
    try {
      return get(path, range);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static byte[] slice(byte[] b, long from, long to) {
    return Arrays.copyOfRange(b, (int) from, (int) to + 1);
  }

  @Test
  void aColdOneMegabyteRangeFetchesAtMostTwoSlices() throws Exception {
    long from = 10_000_000;
    long to = from + MIB - 1;
    Got g = get("/big.mp4", "bytes=" + from + "-" + to);
    assertThat(g.code()).isEqualTo(206);
    assertThat(g.contentRange()).isEqualTo("bytes " + from + "-" + to + "/" + big1.length);
    assertThat(g.body()).isEqualTo(slice(big1, from, to));
    assertThat(originBytes.get()).as("at most two 1 MiB slices of a 20 MiB object").isLessThanOrEqualTo(2L * MIB);
    assertThat(g.cacheStatus()).contains("detail=sliced");
    Got again = get("/big.mp4", "bytes=" + from + "-" + to);
    assertThat(again.body()).isEqualTo(slice(big1, from, to));
    assertThat(again.cacheStatus()).contains("hit");
    assertThat(originRequests.get()).isEqualTo(2);
    try (Response r = client.newCall(new Request.Builder().url("http://127.0.0.1:" + edge.adminAddress().getPort()
        + "/metrics").build()).execute()) {
      String scrape = r.body().string();
      assertThat(scrape).contains("cachalot_slices_fetched_total 2.0").contains("cachalot_slices_served_total 4.0")
          .contains("cachalot_slice_origin_bytes_total " + (2.0 * MIB));
    }
  }

  @Test
  void concurrentColdRangesReadEachSliceFromTheOriginOnce() throws Exception {
    long from = 5L * MIB - 1000;
    long to = from + MIB - 1;
    var calls = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Got>>();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
    try {
      for (int i = 0; i < 20; i++) {
        calls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return get("/big.mp4", "bytes=" + from + "-" + to);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, pool));
      }
      for (var c : calls) {
        Got g = c.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(g.code()).isEqualTo(206);
        assertThat(g.body()).isEqualTo(slice(big1, from, to));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(originRequests.get()).as("slices 4 and 5, once each: " + originRanges).isEqualTo(2);
  }

  @Test
  void rangesAcrossSliceBoundariesAreByteExact() throws Exception {
    long total = big1.length;
    long[][] ranges = {{0, 0}, {total - 1, total - 1}, {MIB - 1, MIB}, {3L * MIB - 5, 5L * MIB + 5},
        {total - 100, total - 1}};
    for (long[] r : ranges) {
      Got g = get("/big.mp4", "bytes=" + r[0] + "-" + r[1]);
      assertThat(g.code()).isEqualTo(206);
      assertThat(g.body()).as(r[0] + "-" + r[1]).isEqualTo(slice(big1, r[0], r[1]));
    }
    Got open = get("/big.mp4", "bytes=" + (total - 10) + "-");
    assertThat(open.body()).isEqualTo(slice(big1, total - 10, total - 1));
    assertThat(open.contentRange()).isEqualTo("bytes " + (total - 10) + "-" + (total - 1) + "/" + total);
    Got beyond = get("/big.mp4", "bytes=" + total + "-");
    assertThat(beyond.code()).isEqualTo(416);
    assertThat(originBytes.get()).as("only the slices touched: 0, 1, 2-5, 19").isLessThanOrEqualTo(7L * MIB);
  }

  @Test
  void aWholeGetSuffixAndConditionalOfASlicedObjectAreAnsweredFromSlices() throws Exception {
    get("/big.mp4", "bytes=0-10"); // slicing starts with an ordinary range
    long before = originRequests.get();
    Got whole = get("/big.mp4", null);
    assertThat(whole.code()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(big1);
    assertThat(whole.cacheStatus()).contains("detail=sliced");
    assertThat(originRequests.get() - before).as("the 19 slices not yet stored, one request each").isEqualTo(19);
    long afterWhole = originRequests.get();
    Got suffix = get("/big.mp4", "bytes=-500");
    assertThat(suffix.body()).isEqualTo(slice(big1, big1.length - 500, big1.length - 1));
    assertThat(suffix.contentRange()).isEqualTo("bytes " + (big1.length - 500) + "-" + (big1.length - 1) + "/"
        + big1.length);
    assertThat(get("/big.mp4", null).cacheStatus()).contains("hit");
    assertThat(originRequests.get()).as("everything from slices now").isEqualTo(afterWhole);
    try (Response r = client.newCall(new Request.Builder().url("http://127.0.0.1:" + edge.address().getPort()
        + "/big.mp4").header("If-None-Match", "\"v1\"").build()).execute()) {
      assertThat(r.code()).isEqualTo(304);
    }
  }

  @Test
  void multipartRangesAcrossSliceBoundariesAreByteExact() throws Exception {
    get("/big.mp4", "bytes=0-10"); // slicing starts with an ordinary range
    long total = big1.length;
    Request r = new Request.Builder().url("http://127.0.0.1:" + edge.address().getPort() + "/big.mp4")
        .header("Range", "bytes=0-9, " + (MIB - 6) + "-" + (MIB + 5) + ", -20").build();
    try (Response resp = client.newCall(r).execute()) {
      assertThat(resp.code()).isEqualTo(206);
      String type = resp.header("Content-Type");
      assertThat(type).startsWith("multipart/byteranges; boundary=");
      String boundary = type.substring(type.indexOf('=') + 1);
      byte[] body = resp.body().bytes();
      assertThat(Long.parseLong(resp.header("Content-Length"))).isEqualTo(body.length);
      String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
      String[] parts = text.split("\r\n--" + java.util.regex.Pattern.quote(boundary));
      assertThat(parts).hasSize(5); // "", three parts, "--\r\n"
      long[][] ranges = {{0, 9}, {MIB - 6, MIB + 5}, {total - 20, total - 1}};
      for (int i = 0; i < 3; i++) {
        String part = parts[i + 1];
        assertThat(part).contains("Content-Type: video/mp4")
            .contains("Content-Range: bytes " + ranges[i][0] + "-" + ranges[i][1] + "/" + total);
        byte[] bytes = part.substring(part.indexOf("\r\n\r\n") + 4)
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).isEqualTo(slice(big1, ranges[i][0], ranges[i][1]));
      }
      assertThat(parts[4]).isEqualTo("--\r\n");
    }
  }

  @Test
  void headAndIfRangeOfASlicedObjectAreAnsweredFromSlices() throws Exception {
    get("/big.mp4", "bytes=0-10");
    long before = originRequests.get();
    String url = "http://127.0.0.1:" + edge.address().getPort() + "/big.mp4";
    try (Response head = client.newCall(new Request.Builder().url(url).head().build()).execute()) {
      assertThat(head.code()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(big1.length));
      assertThat(head.header("ETag")).isEqualTo("\"v1\"");
    }
    try (Response match = client.newCall(new Request.Builder().url(url).header("Range", "bytes=5-9")
        .header("If-Range", "\"v1\"").build()).execute()) {
      assertThat(match.code()).isEqualTo(206);
      assertThat(match.body().bytes()).isEqualTo(slice(big1, 5, 9));
    }
    try (Response stale = client.newCall(new Request.Builder().url(url).header("Range", "bytes=5-9")
        .header("If-Range", "\"v0\"").build()).execute()) {
      assertThat(stale.code()).as("If-Range does not match: the whole object").isEqualTo(200);
      assertThat(stale.body().bytes()).isEqualTo(big1);
    }
    assertThat(originRequests.get() - before).as("only the slices not yet stored").isEqualTo(19);
  }

  @Test
  void aWholeGetOfALargeObjectThatMustBeRevalidatedIsServedFromItsFill() throws Exception {
    Got g = get("/big-no-cache.mp4", null);
    assertThat(g.code()).isEqualTo(200);
    assertThat(g.body()).isEqualTo(big1);
    assertThat(originRequests.get()).as("one fill, stored as slices, answers the request").isEqualTo(1);
  }

  @Test
  void anInvalidRangeIsIgnoredTheOrdinaryWay() throws Exception {
    Got g = get("/medium.mp4", "bytes=10-5");
    assertThat(g.code()).isEqualTo(200);
    assertThat(g.body()).isEqualTo(medium);
  }

  @Test
  void aChangedEtagNeverProducesAMixedBody() throws Exception {
    assertThat(get("/big.mp4", "bytes=0-100").body()).isEqualTo(slice(big1, 0, 100));
    // the answer ends long before slice 0 is in: a change found once a response has begun can only cut it
    assertThat(Await.until(() -> getUnchecked("/big.mp4", "bytes=0-100").cacheStatus().contains("hit"),
        Duration.ofSeconds(10))).as("slice 0 stored").isTrue();
    version = 2; // the object is replaced at the origin after slice 0 was stored
    Got g = get("/big.mp4", "bytes=" + (MIB - 10) + "-" + (MIB + 10));
    assertThat(g.code()).isEqualTo(206);
    assertThat(g.body()).as("all of the new version, none of the old").isEqualTo(slice(big2, MIB - 10, MIB + 10));
  }

  @Test
  void anOriginThatIgnoresRangeIsHandled() throws Exception {
    ignoreRange = true;
    Got g = get("/medium.mp4", "bytes=3000000-3000999");
    assertThat(g.code()).isEqualTo(206);
    assertThat(g.body()).isEqualTo(slice(medium, 3_000_000, 3_000_999));
    assertThat(get("/medium.mp4", "bytes=5000000-5000099").body()).isEqualTo(slice(medium, 5_000_000, 5_000_099));
  }

  @Test
  void aLargeObjectFromAnOriginThatIgnoresRangeIsStoredAsSlices() throws Exception {
    ignoreRange = true;
    Got g = get("/big.mp4", "bytes=12000000-12000999");
    assertThat(g.code()).isEqualTo(206);
    assertThat(g.body()).isEqualTo(slice(big1, 12_000_000, 12_000_999));
    Got other = get("/big.mp4", "bytes=19000000-19000099");
    assertThat(other.body()).isEqualTo(slice(big1, 19_000_000, 19_000_099));
    assertThat(get("/big.mp4", null).body()).isEqualTo(big1);
    assertThat(Await.until(() -> getUnchecked("/big.mp4", "bytes=19000000-19000099").cacheStatus().contains("hit"),
        Duration.ofSeconds(10))).as("stored as slices once the body is in").isTrue();
    assertThat(originRequests.get()).as("the whole object once, then everything from its slices").isEqualTo(1);
  }

  @Test
  void aRangeWhoseLookupMissedAFillThatEndedIsServedFromIt() throws Exception {
    assertThat(get("/small.mp4", null).body()).isEqualTo(small);
    // the client has every byte once the fill has read them; the fill stores and ends just after
    assertThat(Await.until(() -> getUnchecked("/small.mp4", "bytes=0-0").cacheStatus().contains("hit"),
        Duration.ofSeconds(10))).as("stored").isTrue();
    long before = originRequests.get();
    // as when the fill stores the object and ends between this request's lookup and its cold-range start
    missesOnce.arm("/small.mp4");
    Got g = get("/small.mp4", "bytes=1500000-1500099");
    assertThat(missesOnce.armed()).as("the lookup missed").isFalse();
    assertThat(g.body()).isEqualTo(slice(small, 1_500_000, 1_500_099));
    assertThat(g.cacheStatus()).contains("hit");
    assertThat(originRequests.get() - before).as("no probe, no second fetch: " + originRanges).isZero();
  }

  @Test
  void objectsBelowTheThresholdAreCachedWhole() throws Exception {
    Got g = get("/small.mp4", "bytes=100-199");
    assertThat(g.body()).isEqualTo(slice(small, 100, 199));
    assertThat(g.cacheStatus()).doesNotContain("sliced");
    Got hit = get("/small.mp4", "bytes=1500000-1500099");
    assertThat(hit.body()).isEqualTo(slice(small, 1_500_000, 1_500_099));
    // the range was answered while the body arrived; once stored, the whole object answers ranges as hits
    assertThat(Await.until(() -> {
      Got again = getUnchecked("/small.mp4", "bytes=1500000-1500099");
      return again.cacheStatus().contains("hit") && Arrays.equals(again.body(), hit.body());
    }, Duration.ofSeconds(10))).isTrue();
    assertThat(originRequests.get()).as("one slice to learn the size, then the whole object").isEqualTo(2);
  }
}
