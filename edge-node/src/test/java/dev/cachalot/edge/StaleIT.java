package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.OriginConfig;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** Serving stale: stale-while-revalidate, stale-if-error and the configured grace (RFC 5861, RFC 9111 §4.2.4). */
class StaleIT extends EdgeTestBase {

  @Override
  protected EdgeConfig config() {
    EdgeConfig c = baseConfig(new CacheConfig(64L << 20, 1L << 20, Duration.ofDays(1), Duration.ofSeconds(30),
        Duration.ofMinutes(2), Duration.ofSeconds(30), Set.of()));
    OriginConfig o = c.origin();
    return c.withOrigin(o.withTimeouts(o.connectTimeout(), Duration.ofMillis(500), Duration.ofMillis(500)));
  }

  /** Polls until the condition holds (the background revalidation is asynchronous). */
  private void await(java.util.function.BooleanSupplier condition) {
    assertThat(Await.until(condition, Duration.ofSeconds(10))).as("condition met in time").isTrue();
  }

  @Test
  void staleWhileRevalidateServesStaleAndRevalidatesOnceInTheBackground() throws Exception {
    enqueue(200, "v1", "Cache-Control", "max-age=10, stale-while-revalidate=60", "ETag", "\"1\"");
    get("/swr");
    takeOriginRequest();
    clock.advanceSeconds(20);
    origin.enqueue(new MockResponse.Builder().code(304).addHeader("ETag", "\"1\"")
        .addHeader("Cache-Control", "max-age=100, stale-while-revalidate=60")
        .headersDelay(200, TimeUnit.MILLISECONDS).build());
    for (int i = 0; i < 5; i++) {
      Result r = get("/swr");
      assertThat(r.body()).isEqualTo("v1");
      if (!r.cacheStatus().contains("stale-while-revalidate")) {
        break; // the revalidation already landed
      }
      assertThat(r.cacheStatus()).startsWith("cachalot; hit");
    }
    assertThat(takeOriginRequest().getHeaders().get("If-None-Match")).isEqualTo("\"1\"");
    await(() -> {
      try {
        return get("/swr").cacheStatus().equals("cachalot; hit; ttl=100");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(originRequests()).as("one background revalidation for all stale hits").isEqualTo(2);
  }

  @Test
  void staleIfErrorServesStaleWhenTheOriginAnswers5xx() throws Exception {
    enqueue(200, "v1", "Cache-Control", "max-age=10, stale-if-error=600");
    get("/sie");
    clock.advanceSeconds(100);
    enqueue(503, "down");
    Result r = get("/sie");
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("v1");
    assertThat(r.cacheStatus()).isEqualTo("cachalot; fwd=stale; fwd-status=503; detail=stale-if-error; ttl=-90");
  }

  @Test
  void staleIfErrorServesStaleWhenTheOriginIsDown() throws Exception {
    enqueue(200, "v1", "Cache-Control", "max-age=10, stale-if-error=600");
    get("/down");
    origin.close();
    clock.advanceSeconds(100);
    assertThat(get("/down").body()).isEqualTo("v1");
    clock.advanceSeconds(600);
    Result gone = get("/down");
    assertThat(gone.code()).isEqualTo(502);
    assertThat(gone.cacheStatus()).contains("detail=refused");
  }

  @Test
  void timeoutWithoutStaleGives504AndWithStaleServesIt() throws Exception {
    origin.enqueue(new MockResponse.Builder().body("late").headersDelay(2, TimeUnit.SECONDS).build());
    Result timeout = get("/slow");
    assertThat(timeout.code()).isEqualTo(504);
    assertThat(timeout.cacheStatus()).contains("detail=read_timeout");

    enqueue(200, "v1", "Cache-Control", "max-age=10, stale-if-error=60");
    get("/slow2");
    clock.advanceSeconds(20);
    origin.enqueue(new MockResponse.Builder().body("late").headersDelay(2, TimeUnit.SECONDS).build());
    assertThat(get("/slow2").body()).isEqualTo("v1");
  }

  @Test
  void graceServesStaleOnErrorWithoutAnyDirective() throws Exception {
    enqueueFresh("v1", 10);
    get("/grace");
    clock.advanceSeconds(35); // 25 s stale, within the 30 s grace
    enqueue(500, "err");
    assertThat(get("/grace").body()).isEqualTo("v1");
    clock.advanceSeconds(10); // 35 s stale
    enqueue(500, "err");
    Result r = get("/grace");
    assertThat(r.code()).as("past the grace the origin's error passes through").isEqualTo(500);
    assertThat(r.body()).isEqualTo("err");
  }

  @Test
  void mustRevalidateForbidsStaleEvenOnError() throws Exception {
    enqueue(200, "v1", "Cache-Control", "max-age=10, must-revalidate, stale-if-error=600");
    get("/mr");
    clock.advanceSeconds(20);
    enqueue(500, "err");
    assertThat(get("/mr").code()).isEqualTo(500);
    origin.close();
    assertThat(get("/mr").code()).isEqualTo(502);
  }

  @Test
  void sMaxAgeForbidsGraceButNotAnExplicitStaleIfError() throws Exception {
    enqueue(200, "v1", "Cache-Control", "s-maxage=10");
    enqueue(200, "v2", "Cache-Control", "s-maxage=10, stale-if-error=60");
    get("/s1");
    get("/s2");
    clock.advanceSeconds(15);
    enqueue(500, "err");
    enqueue(500, "err");
    assertThat(get("/s1").code()).isEqualTo(500);
    assertThat(get("/s2").body()).isEqualTo("v2");
  }
}
