package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CDN-Cache-Control (RFC 9213) and Surrogate-Control: they rule this cache and are not sent downstream. */
class TargetedDirectivesIT extends EdgeTestBase {

  @Test
  void cdnCacheControlReplacesCacheControlForThisCache() throws Exception {
    enqueue(200, "b", "Cache-Control", "private, no-store", "CDN-Cache-Control", "max-age=60");
    Result first = get("/cdn");
    assertThat(first.header("CDN-Cache-Control")).as("not forwarded downstream").isNull();
    assertThat(first.header("Cache-Control")).isEqualTo("private, no-store");
    Result hit = get("/cdn");
    assertThat(hit.hit()).isTrue();
    assertThat(hit.header("CDN-Cache-Control")).isNull();
    clock.advanceSeconds(61);
    enqueue(200, "c", "CDN-Cache-Control", "max-age=60");
    assertThat(get("/cdn").body()).isEqualTo("c");
  }

  @Test
  void cdnCacheControlCanForbidStorage() throws Exception {
    enqueue(200, "1", "Cache-Control", "max-age=600", "CDN-Cache-Control", "no-store");
    enqueue(200, "2", "Cache-Control", "max-age=600", "CDN-Cache-Control", "no-store");
    get("/cdn-ns");
    assertThat(get("/cdn-ns").body()).isEqualTo("2");
  }

  @Test
  void invalidTargetedFieldIsIgnoredAsAWhole() throws Exception {
    enqueue(200, "1", "Cache-Control", "max-age=5", "CDN-Cache-Control", "max-age=600,, no-store");
    get("/bad");
    assertThat(get("/bad").hit()).as("Cache-Control max-age=5 applies").isTrue();
    clock.advanceSeconds(6);
    enqueue(200, "2", "Cache-Control", "max-age=5");
    assertThat(get("/bad").body()).isEqualTo("2");
  }

  @Test
  void surrogateControlAppliesWhenNoCdnCacheControl() throws Exception {
    enqueue(200, "1", "Cache-Control", "no-store", "Surrogate-Control", "max-age=60");
    assertThat(get("/sc").header("Surrogate-Control")).isNull();
    assertThat(get("/sc").hit()).isTrue();
  }

  @Test
  void cdnCacheControlWinsOverSurrogateControl() throws Exception {
    enqueue(200, "1", "Surrogate-Control", "max-age=600", "CDN-Cache-Control", "max-age=10");
    get("/both");
    clock.advanceSeconds(11);
    enqueue(200, "2", "CDN-Cache-Control", "max-age=10");
    assertThat(get("/both").body()).isEqualTo("2");
  }
}
