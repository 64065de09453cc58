package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Request Cache-Control (RFC 9111 §5.2.1). */
class RequestDirectivesIT extends EdgeTestBase {

  @Test
  void maxAgeZeroRevalidatesAFreshResponse() throws Exception {
    enqueueFresh("v1", 600, "ETag", "\"1\"");
    get("/r");
    takeOriginRequest();
    enqueue(304, "", "ETag", "\"1\"", "Cache-Control", "max-age=600");
    clock.advanceSeconds(5);
    Result r = get("/r", "Cache-Control", "max-age=0");
    assertThat(r.body()).isEqualTo("v1");
    assertThat(r.cacheStatus()).startsWith("cachalot; fwd=request; fwd-status=304");
    assertThat(takeOriginRequest().getHeaders().get("If-None-Match")).isEqualTo("\"1\"");
  }

  @Test
  void maxAgeAcceptsResponsesYoungEnough() throws Exception {
    enqueueFresh("v1", 600);
    get("/ma");
    clock.advanceSeconds(30);
    assertThat(get("/ma", "Cache-Control", "max-age=60").hit()).isTrue();
  }

  @Test
  void maxStaleAcceptsStaleResponses() throws Exception {
    enqueueFresh("v1", 10);
    get("/ms");
    clock.advanceSeconds(20);
    Result withValue = get("/ms", "Cache-Control", "max-stale=15");
    assertThat(withValue.body()).isEqualTo("v1");
    assertThat(withValue.cacheStatus()).contains("hit").contains("ttl=-10");
    assertThat(get("/ms", "Cache-Control", "max-stale").hit()).as("bare max-stale accepts any staleness").isTrue();
    enqueueFresh("v2", 10);
    assertThat(get("/ms", "Cache-Control", "max-stale=5").body()).as("too stale for 5 s").isEqualTo("v2");
  }

  @Test
  void maxStaleDoesNotOverrideMustRevalidate() throws Exception {
    enqueue(200, "v1", "Cache-Control", "max-age=10, must-revalidate");
    get("/mr");
    clock.advanceSeconds(20);
    enqueueFresh("v2", 10);
    assertThat(get("/mr", "Cache-Control", "max-stale").body()).isEqualTo("v2");
  }

  @Test
  void minFreshNeedsThatMuchFreshnessLeft() throws Exception {
    enqueueFresh("v1", 100);
    get("/mf");
    clock.advanceSeconds(50);
    assertThat(get("/mf", "Cache-Control", "min-fresh=40").hit()).isTrue();
    enqueueFresh("v2", 100);
    assertThat(get("/mf", "Cache-Control", "min-fresh=60").body()).isEqualTo("v2");
  }

  @Test
  void noCacheRequestValidatesWithTheOrigin() throws Exception {
    enqueueFresh("v1", 600, "Last-Modified", date(-3600));
    get("/nc");
    takeOriginRequest();
    enqueue(304, "");
    Result r = get("/nc", "Cache-Control", "no-cache");
    assertThat(r.body()).isEqualTo("v1");
    RecordedRequest validation = takeOriginRequest();
    assertThat(validation.getHeaders().get("If-Modified-Since")).isEqualTo(date(-3600));
  }

  @Test
  void pragmaNoCacheCountsWhenCacheControlIsAbsent() throws Exception {
    enqueueFresh("v1", 600);
    get("/p");
    enqueueFresh("v2", 600);
    assertThat(get("/p", "Pragma", "no-cache").body()).isEqualTo("v2");
  }

  @Test
  void noStoreRequestIsNotStored() throws Exception {
    enqueueFresh("v1", 600);
    enqueueFresh("v2", 600);
    get("/ns", "Cache-Control", "no-store");
    assertThat(get("/ns").body()).isEqualTo("v2");
  }

  @Test
  void onlyIfCachedGets504WhenNothingFits() throws Exception {
    Result r = get("/oic", "Cache-Control", "only-if-cached");
    assertThat(r.code()).isEqualTo(504);
    assertThat(originRequests()).isZero();
    enqueueFresh("v1", 10);
    get("/oic");
    assertThat(get("/oic", "Cache-Control", "only-if-cached").body()).isEqualTo("v1");
    clock.advanceSeconds(20);
    assertThat(get("/oic", "Cache-Control", "only-if-cached").code()).as("stale does not fit").isEqualTo(504);
    assertThat(originRequests()).isEqualTo(1);
  }
}
