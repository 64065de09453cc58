package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Revalidation with the origin, 304 header updates (RFC 9111 §4.3), and client conditionals answered from cache. */
class ValidationIT extends EdgeTestBase {

  @Test
  void staleResponseIsRevalidatedAndUpdatedByA304() throws Exception {
    enqueue(200, "body", "Cache-Control", "max-age=10", "ETag", "\"v1\"", "X-Version", "1", "Content-Type", "text/x");
    get("/v");
    takeOriginRequest();
    clock.advanceSeconds(11);
    enqueue(304, "", "ETag", "\"v1\"", "Cache-Control", "max-age=100", "X-Version", "2");
    Result r = get("/v");
    assertThat(r.body()).isEqualTo("body");
    assertThat(r.header("X-Version")).isEqualTo("2");
    assertThat(r.header("Content-Type")).isEqualTo("text/x");
    assertThat(r.cacheStatus()).startsWith("cachalot; fwd=stale; fwd-status=304");
    RecordedRequest conditional = takeOriginRequest();
    assertThat(conditional.getHeaders().get("If-None-Match")).isEqualTo("\"v1\"");

    clock.advanceSeconds(50);
    Result hit = get("/v");
    assertThat(hit.hit()).as("new max-age=100 from the 304").isTrue();
    assertThat(hit.header("X-Version")).isEqualTo("2");
    assertThat(originRequests()).isEqualTo(2);
  }

  @Test
  void changedResponseReplacesTheStoredOne() throws Exception {
    enqueue(200, "old", "Cache-Control", "max-age=10", "ETag", "\"1\"");
    get("/c");
    clock.advanceSeconds(11);
    enqueue(200, "new", "Cache-Control", "max-age=10", "ETag", "\"2\"");
    assertThat(get("/c").body()).isEqualTo("new");
    assertThat(get("/c").body()).isEqualTo("new");
  }

  @Test
  void noCacheResponseIsStoredButAlwaysRevalidated() throws Exception {
    enqueue(200, "body", "Cache-Control", "no-cache", "ETag", "\"n\"");
    get("/nc");
    enqueue(304, "", "ETag", "\"n\"");
    Result r = get("/nc");
    assertThat(r.body()).isEqualTo("body");
    assertThat(r.cacheStatus()).contains("fwd-status=304");
    assertThat(originRequests()).isEqualTo(2);
  }

  @Test
  void matchingIfNoneMatchIsAnswered304FromCache() throws Exception {
    enqueueFresh("body", 600, "ETag", "W/\"abc\"");
    get("/inm");
    Result r = get("/inm", "If-None-Match", "\"zzz\", \"abc\"");
    assertThat(r.code()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
    assertThat(r.header("ETag")).isEqualTo("W/\"abc\"");
    assertThat(get("/inm", "If-None-Match", "\"zzz\"").code()).isEqualTo(200);
    assertThat(get("/inm", "If-None-Match", "*").code()).isEqualTo(304);
    assertThat(originRequests()).isEqualTo(1);
  }

  @Test
  void ifModifiedSinceIsAnsweredFromCache() throws Exception {
    enqueueFresh("body", 600, "Last-Modified", date(-100));
    get("/ims");
    assertThat(get("/ims", "If-Modified-Since", date(-50)).code()).isEqualTo(304);
    assertThat(get("/ims", "If-Modified-Since", date(-200)).code()).isEqualTo(200);
    assertThat(get("/ims", "If-Modified-Since", "garbage").code()).isEqualTo(200);
    assertThat(originRequests()).isEqualTo(1);
  }

  @Test
  void failedIfMatchGets412() throws Exception {
    enqueueFresh("body", 600, "ETag", "\"a\"");
    get("/im");
    assertThat(get("/im", "If-Match", "\"b\"").code()).isEqualTo(412);
    assertThat(get("/im", "If-Match", "\"a\"").code()).isEqualTo(200);
  }

  @Test
  void headIsServedFromAStoredGet() throws Exception {
    enqueueFresh("0123456789", 600, "Content-Type", "text/plain");
    get("/h");
    Result head = send("HEAD", "/h");
    assertThat(head.code()).isEqualTo(200);
    assertThat(head.header("Content-Length")).isEqualTo("10");
    assertThat(head.body()).isEmpty();
    assertThat(head.hit()).isTrue();
    assertThat(originRequests()).isEqualTo(1);
  }

  @Test
  void headMissFillsTheCacheWithAGet() throws Exception {
    enqueueFresh("0123456789", 600);
    Result head = send("HEAD", "/hm");
    assertThat(head.header("Content-Length")).isEqualTo("10");
    assertThat(takeOriginRequest().getMethod()).isEqualTo("GET");
    assertThat(get("/hm").body()).isEqualTo("0123456789");
  }
}
