package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Freshness lifetime and Age (RFC 9111 §4.2): what is served from cache, and for how long. */
class FreshnessIT extends EdgeTestBase {

  @Test
  void maxAgeIsServedFromCacheUntilItExpires() throws Exception {
    enqueueFresh("v1", 60);
    enqueueFresh("v2", 60);
    Result miss = get("/a");
    assertThat(miss.body()).isEqualTo("v1");
    assertThat(miss.cacheStatus()).isEqualTo("cachalot; fwd=uri-miss; fwd-status=200; stored; ttl=60");

    clock.advanceSeconds(59);
    Result hit = get("/a");
    assertThat(hit.body()).isEqualTo("v1");
    assertThat(hit.cacheStatus()).isEqualTo("cachalot; hit; ttl=1");
    assertThat(hit.header("Age")).isEqualTo("59");

    clock.advanceSeconds(1);
    Result expired = get("/a");
    assertThat(expired.body()).isEqualTo("v2");
    assertThat(expired.cacheStatus()).startsWith("cachalot; fwd=stale");
    assertThat(originRequests()).isEqualTo(2);
  }

  @Test
  void sMaxAgeTakesPrecedenceOverMaxAge() throws Exception {
    enqueue(200, "x", "Cache-Control", "max-age=1000, s-maxage=10");
    get("/s");
    clock.advanceSeconds(11);
    enqueueFresh("y", 10);
    assertThat(get("/s").body()).isEqualTo("y");
  }

  @Test
  void expiresIsRelativeToDate() throws Exception {
    enqueue(200, "x", "Date", date(-100), "Expires", date(-70)); // lifetime 30 s, already 100 s old
    enqueue(200, "y", "Date", date(0), "Expires", date(30));
    assertThat(get("/e").body()).isEqualTo("x");
    assertThat(get("/e").body()).isEqualTo("y");
    assertThat(get("/e").body()).as("now fresh for 30 s").isEqualTo("y");
    assertThat(originRequests()).isEqualTo(2);
  }

  @Test
  void invalidExpiresMeansAlreadyExpired() throws Exception {
    for (String bad : new String[] {"0", "yesterday", "Thu, 99 Foo 2020 00:00:00 GMT"}) {
      String path = "/bad-expires-" + bad.length();
      enqueue(200, "a", "Expires", bad, "ETag", "\"e\"");
      enqueue(200, "b", "Expires", bad, "ETag", "\"e\"");
      get(path);
      assertThat(get(path).body()).as("Expires: %s", bad).isEqualTo("b");
    }
  }

  @Test
  void allThreeDateFormatsAreAccepted() throws Exception {
    String[] expires = {"Sun, 06 Nov 2044 08:49:37 GMT", "Sunday, 06-Nov-44 08:49:37 GMT", "Sun Nov  6 08:49:37 2044"};
    for (int i = 0; i < expires.length; i++) {
      enqueue(200, "v" + i, "Expires", expires[i]);
      get("/fmt" + i);
      assertThat(get("/fmt" + i).hit()).as(expires[i]).isTrue();
    }
  }

  @Test
  void maxAgeBeatsExpires() throws Exception {
    enqueue(200, "x", "Cache-Control", "max-age=100", "Expires", "0");
    get("/m");
    assertThat(get("/m").hit()).isTrue();
  }

  @Test
  void upstreamAgeCountsAgainstTheLifetime() throws Exception {
    enqueue(200, "x", "Cache-Control", "max-age=100", "Age", "90");
    Result first = get("/age");
    assertThat(first.header("Age")).isEqualTo("90");
    clock.advanceSeconds(5);
    Result hit = get("/age");
    assertThat(hit.header("Age")).isEqualTo("95");
    assertThat(hit.cacheStatus()).isEqualTo("cachalot; hit; ttl=5");
    clock.advanceSeconds(5);
    enqueueFresh("y", 100);
    assertThat(get("/age").body()).isEqualTo("y");
  }

  @Test
  void malformedAgeValuesAreHandledAsTheSpecSays() throws Exception {
    enqueue(200, "neg", "Cache-Control", "max-age=100", "Age", "-7200");
    get("/age-neg");
    assertThat(get("/age-neg").hit()).as("negative Age is ignored").isTrue();

    enqueue(200, "list", "Cache-Control", "max-age=100", "Age", "10, 7200");
    get("/age-list");
    assertThat(get("/age-list").header("Age")).as("first member of a list").isEqualTo("10");

    enqueue(200, "huge", "Cache-Control", "max-age=100", "Age", "99999999999999999999", "ETag", "\"h\"");
    enqueue(200, "huge2", "Cache-Control", "max-age=100", "ETag", "\"h\"");
    get("/age-huge");
    assertThat(get("/age-huge").body()).as("huge Age is capped and stale").isEqualTo("huge2");

    enqueue(200, "junk", "Cache-Control", "max-age=100", "Age", "1.5");
    get("/age-junk");
    assertThat(get("/age-junk").hit()).as("non-integer Age is ignored").isTrue();
  }

  @Test
  void heuristicFreshnessIsTenPercentOfTheLastModifiedAge() throws Exception {
    enqueue(200, "h", "Date", date(0), "Last-Modified", date(-1000));
    get("/h");
    clock.advanceSeconds(99);
    assertThat(get("/h").hit()).isTrue();
    clock.advanceSeconds(1);
    enqueue(200, "h2", "Date", date(0), "Last-Modified", date(-1000));
    assertThat(get("/h").body()).isEqualTo("h2");
  }

  @Test
  void noExplicitFreshnessAndNoValidatorIsNotStored() throws Exception {
    enqueue(200, "a");
    enqueue(200, "b");
    get("/plain");
    assertThat(get("/plain").body()).isEqualTo("b");
  }

  @Test
  void invalidOrConflictingMaxAgeMeansStale() throws Exception {
    for (String cc : new String[] {"max-age=abc", "max-age=10, max-age=20", "max-age=-5"}) {
      String path = "/cc" + cc.hashCode();
      enqueue(200, "1", "Cache-Control", cc, "ETag", "\"x\"");
      enqueue(200, "2", "Cache-Control", cc, "ETag", "\"x\"");
      get(path);
      assertThat(get(path).body()).as(cc).isEqualTo("2");
    }
  }

  @Test
  void directiveNamesAreCaseInsensitiveAndQuotedValuesAccepted() throws Exception {
    enqueue(200, "x", "Cache-Control", "MAX-AGE=\"60\", Unknown-Directive=7");
    get("/case");
    assertThat(get("/case").hit()).isTrue();
  }
}
