package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Range requests served from a stored 200 (RFC 9110 §14). */
class RangeIT extends EdgeTestBase {
  private static final String BODY = "0123456789abcdefghij"; // 20 bytes

  @Override
  protected CacheConfig cacheConfig() {
    return new CacheConfig(64L << 20, 1024, Duration.ofDays(1), Duration.ZERO, Duration.ofMinutes(2),
        Duration.ofSeconds(30), Set.of());
  }

  private void stored() throws Exception {
    enqueueFresh(BODY, 600, "ETag", "\"r1\"", "Last-Modified", date(-100), "Content-Type", "text/plain");
    get("/r");
    assertThat(takeOriginRequest().getHeaders().get("Range")).isNull();
  }

  @Test
  void singleSuffixAndOpenEndedRanges() throws Exception {
    stored();
    Result single = get("/r", "Range", "bytes=2-5");
    assertThat(single.code()).isEqualTo(206);
    assertThat(single.body()).isEqualTo("2345");
    assertThat(single.header("Content-Range")).isEqualTo("bytes 2-5/20");
    assertThat(single.header("Content-Length")).isEqualTo("4");

    Result suffix = get("/r", "Range", "bytes=-3");
    assertThat(suffix.body()).isEqualTo("hij");
    assertThat(suffix.header("Content-Range")).isEqualTo("bytes 17-19/20");

    Result open = get("/r", "Range", "bytes=15-");
    assertThat(open.body()).isEqualTo("fghij");

    Result clipped = get("/r", "Range", "bytes=18-1000");
    assertThat(clipped.header("Content-Range")).isEqualTo("bytes 18-19/20");
    assertThat(clipped.hit()).isTrue();
    assertThat(originRequests()).isEqualTo(1);
  }

  @Test
  void rangeOnAMissIsServedFromTheWholeFetchedObject() throws Exception {
    enqueueFresh(BODY, 600);
    Result r = get("/miss", "Range", "bytes=0-0");
    assertThat(r.code()).isEqualTo(206);
    assertThat(r.body()).isEqualTo("0");
    assertThat(takeOriginRequest().getHeaders().get("Range")).as("fill fetches the whole object").isNull();
  }

  @Test
  void multipleRangesGetMultipartByteranges() throws Exception {
    stored();
    Result r = get("/r", "Range", "bytes=0-1, 10-11");
    assertThat(r.code()).isEqualTo(206);
    String type = r.header("Content-Type");
    assertThat(type).startsWith("multipart/byteranges; boundary=");
    String boundary = type.substring(type.indexOf('=') + 1);
    assertThat(r.body()).isEqualTo("\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/20\r\n\r\n01"
        + "\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes 10-11/20\r\n\r\nab"
        + "\r\n--" + boundary + "--\r\n");
    assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length()));
  }

  @Test
  void unsatisfiableRangeGets416() throws Exception {
    stored();
    Result r = get("/r", "Range", "bytes=20-30");
    assertThat(r.code()).isEqualTo(416);
    assertThat(r.header("Content-Range")).isEqualTo("bytes */20");
  }

  @Test
  void malformedRangeIsIgnored() throws Exception {
    stored();
    for (String bad : new String[] {"bytes=5-2", "bytes=abc", "items=0-1", "bytes=-", "bytes=1-2,"}) {
      Result r = get("/r", "Range", bad);
      assertThat(r.code()).as(bad).isEqualTo(200);
      assertThat(r.body()).isEqualTo(BODY);
    }
  }

  @Test
  void ifRangeIsHonoured() throws Exception {
    stored();
    assertThat(get("/r", "Range", "bytes=0-1", "If-Range", "\"r1\"").code()).isEqualTo(206);
    assertThat(get("/r", "Range", "bytes=0-1", "If-Range", "\"other\"").code()).isEqualTo(200);
    assertThat(get("/r", "Range", "bytes=0-1", "If-Range", date(-100)).code()).isEqualTo(206);
    assertThat(get("/r", "Range", "bytes=0-1", "If-Range", date(-99)).code()).isEqualTo(200);
  }

  @Test
  void objectsAboveMaxObjectSizePassThroughUnstored() throws Exception {
    String big = "x".repeat(2000);
    enqueueFresh(big, 600);
    enqueueFresh(big, 600);
    Result first = get("/big");
    assertThat(first.body()).isEqualTo(big);
    assertThat(first.cacheStatus()).contains("detail=too-large");
    assertThat(get("/big").body()).isEqualTo(big);
    assertThat(originRequests()).isEqualTo(2);
  }

  @Test
  void rangeOfAnObjectAboveMaxObjectSizeIsFetchedAsARange() throws Exception {
    String big = "0123456789".repeat(200);
    enqueueFresh(big, 600);
    enqueue(206, "34", "Content-Range", "bytes 3-4/2000", "Cache-Control", "max-age=600");
    enqueue(206, "56", "Content-Range", "bytes 5-6/2000", "Cache-Control", "max-age=600");
    Result cold = get("/bigrange", "Range", "bytes=3-4");
    assertThat(cold.code()).isEqualTo(206);
    assertThat(cold.body()).isEqualTo("34");
    assertThat(takeOriginRequest().getHeaders().get("Range")).as("the fill asks for everything").isNull();
    assertThat(takeOriginRequest().getHeaders().get("Range")).as("then the range alone").isEqualTo("bytes=3-4");
    Result warm = get("/bigrange", "Range", "bytes=5-6");
    assertThat(warm.body()).isEqualTo("56");
    assertThat(takeOriginRequest().getHeaders().get("Range")).as("known too large: straight to a range")
        .isEqualTo("bytes=5-6");
  }

  @Test
  void chunkedObjectsAboveMaxObjectSizeStreamCompletely() throws Exception {
    String big = "y".repeat(5000);
    origin.enqueue(new mockwebserver3.MockResponse.Builder().chunkedBody(big, 300)
        .addHeader("Cache-Control", "max-age=600").build());
    Result r = get("/chunked");
    assertThat(r.body()).isEqualTo(big);
    assertThat(r.cacheStatus()).contains("too-large");
  }
}
