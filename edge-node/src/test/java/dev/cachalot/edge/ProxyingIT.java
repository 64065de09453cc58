package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import java.time.Duration;
import java.util.Set;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** What reaches the origin and what comes back: unchanged but for hop-by-hop fields, plus Via and Cache-Status. */
class ProxyingIT extends EdgeTestBase {

  @Override
  protected CacheConfig cacheConfig() {
    return new CacheConfig(64L << 20, 1L << 20, Duration.ofDays(1), Duration.ZERO, Duration.ofMinutes(2),
        Duration.ofSeconds(30), Set.of("cookies.example"));
  }

  @Test
  void pathQueryAndEndToEndFieldsReachTheOriginUnchanged() throws Exception {
    enqueueFresh("ok", 60);
    get("/a%20b/c.jpg?w=200&h=%2Fx&w=300", "X-Custom", "1", "Accept-Language", "fr", "Connection", "X-Hop",
        "X-Hop", "secret", "Keep-Alive", "timeout=5", "Proxy-Authorization", "Basic x");
    RecordedRequest seen = takeOriginRequest();
    assertThat(seen.getTarget()).isEqualTo("/a%20b/c.jpg?w=200&h=%2Fx&w=300");
    assertThat(seen.getHeaders().get("X-Custom")).isEqualTo("1");
    assertThat(seen.getHeaders().get("Accept-Language")).isEqualTo("fr");
    assertThat(seen.getHeaders().get("X-Hop")).as("named in Connection").isNull();
    assertThat(seen.getHeaders().get("Keep-Alive")).isNull();
    assertThat(seen.getHeaders().get("Proxy-Authorization")).isNull();
    assertThat(seen.getHeaders().get("Via")).isEqualTo("1.1 cachalot");
  }

  @Test
  void queryStringIsPartOfTheKey() throws Exception {
    enqueueFresh("one", 60);
    enqueueFresh("two", 60);
    assertThat(get("/q?v=1").body()).isEqualTo("one");
    assertThat(get("/q?v=2").body()).isEqualTo("two");
    assertThat(get("/q?v=1").hit()).isTrue();
  }

  @Test
  void responsesCarryTheOriginFieldsPlusAgeViaAndCacheStatus() throws Exception {
    enqueue(200, "ok", "Cache-Control", "max-age=60", "X-Origin", "o", "Via", "1.1 upstream", "Connection", "X-Drop",
        "X-Drop", "d");
    Result r = get("/fields");
    assertThat(r.header("X-Origin")).isEqualTo("o");
    assertThat(r.header("X-Drop")).isNull();
    assertThat(r.header("Via")).isEqualTo("1.1 upstream, 1.1 cachalot");
    assertThat(r.header("Age")).isEqualTo("0");
    assertThat(r.cacheStatus()).isNotNull();
    Result hit = get("/fields");
    assertThat(hit.header("Via")).isEqualTo("1.1 upstream, 1.1 cachalot");
    assertThat(hit.header("X-Drop")).isNull();
  }

  @Test
  void setCookieResponsesAreStoredOnlyForAllowedHosts() throws Exception {
    enqueue(200, "1", "Cache-Control", "max-age=60", "Set-Cookie", "s=1");
    enqueue(200, "2", "Cache-Control", "max-age=60", "Set-Cookie", "s=2");
    get("/sc");
    assertThat(get("/sc").body()).isEqualTo("2");

    enqueue(200, "3", "Cache-Control", "max-age=60", "Set-Cookie", "s=3");
    get("/sc", "Host", "cookies.example");
    Result hit = get("/sc", "Host", "cookies.example");
    assertThat(hit.hit()).isTrue();
    assertThat(hit.header("Set-Cookie")).isEqualTo("s=3");
  }

  @Test
  void authorizedResponsesAreSharedOnlyWhenExplicitlyAllowed() throws Exception {
    enqueue(200, "secret", "Cache-Control", "max-age=60");
    enqueue(200, "other", "Cache-Control", "max-age=60");
    get("/auth", "Authorization", "Bearer a");
    assertThat(get("/auth").body()).isEqualTo("other");

    enqueue(200, "shared", "Cache-Control", "public, max-age=60");
    get("/pub", "Authorization", "Bearer a");
    assertThat(get("/pub").hit()).isTrue();
  }

  @Test
  void hostIsPartOfTheKeyAndNormalised() throws Exception {
    enqueueFresh("a", 60);
    enqueueFresh("b", 60);
    assertThat(get("/h", "Host", "Site-A.example:80").body()).isEqualTo("a");
    assertThat(get("/h", "Host", "site-a.example.").hit()).isTrue();
    assertThat(get("/h", "Host", "site-b.example").body()).isEqualTo("b");
  }

  @Test
  void badHostGets400() throws Exception {
    // malformed Host fields are refused by Undertow's parser already
    assertThat(get("/x", "Host", "site.example:99999").code()).isEqualTo(400);
    assertThat(get("/x", "Host", "user@evil.example").code()).isEqualTo(400);
    assertThat(get("/x", "Host", "site..example").code()).as("an empty label").isEqualTo(400);
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", edge.address().getPort())) {
      s.getOutputStream().write("GET /a\tb HTTP/1.1\r\nHost: site-a.example\r\nConnection: close\r\n\r\n".getBytes());
      assertThat(new String(s.getInputStream().readAllBytes())).as("a tab in the target").startsWith("HTTP/1.1 400");
    }
    // an HTTP/1.0 request without Host cannot be keyed: ours
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", edge.address().getPort())) {
      s.getOutputStream().write("GET /x HTTP/1.0\r\n\r\n".getBytes());
      String response = new String(s.getInputStream().readAllBytes());
      assertThat(response).startsWith("HTTP/1.0 400").contains("missing or invalid Host");
    }
    assertThat(originRequests()).isZero();
  }

  @Test
  void unreachableOriginGives502() throws Exception {
    origin.close();
    Result r = get("/gone");
    assertThat(r.code()).isEqualTo(502);
    assertThat(r.body()).contains("origin refused");
  }
}
