package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.S3Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The S3 origin against S3Proxy, which checks every signature. */
class S3OriginClientIT {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static OriginClient client;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start(dir);
    s3.createBucket("media");
    put("pub/a.jpg", "photo-a", Map.of("Content-Type", "image/jpeg", "Cache-Control", "max-age=60",
        "x-amz-meta-surrogate-key", "album-1 user-7"));
    put("pub/dir/with space.jpg", "spaced", Map.of());
    put("pub/unicode ✓.jpg", "checked", Map.of());
    put("pub/plus+sign.jpg", "plus", Map.of());
    put("pub/percent%20literal.jpg", "percent", Map.of());
    put("pub/%2e%2e/x", "dots-literal", Map.of());
    put("secret.txt", "outside the prefix", Map.of());
    client = OriginClients.create(config("pub/", S3ProxyServer.SECRET_KEY));
  }

  private static void put(String key, String body, Map<String, String> headers) throws IOException {
    s3.put("media", key, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static OriginConfig config(String prefix, String secret) {
    return OriginConfig.s3(s3.endpoint(), S3Config.of(S3ProxyServer.REGION, "media", S3ProxyServer.ACCESS_KEY, secret)
        .withPrefix(prefix));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static OriginResponse get(String target, String... headers) {
    return client.fetch(OriginRequest.get(target, "edge.example", HttpFields.of(headers))).join();
  }

  private static String body(OriginResponse r) throws IOException {
    try (r) {
      return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void servesSignedGetsWithValidatorsAndMetadata() throws Exception {
    OriginResponse r = get("/a.jpg?width=200");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("Content-Type")).isEqualTo("image/jpeg");
    assertThat(r.headers().get("Cache-Control")).isEqualTo("max-age=60");
    assertThat(r.headers().get("ETag")).isNotBlank();
    assertThat(r.headers().get("Last-Modified")).isNotBlank();
    assertThat(r.headers().get("Surrogate-Key")).isEqualTo("album-1 user-7");
    assertThat(r.headers().get("x-amz-request-id")).isNull();
    assertThat(body(r)).isEqualTo("photo-a");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /dir/with%20space.jpg          | spaced
      /unicode%20%E2%9C%93.jpg       | checked
      /plus+sign.jpg                 | plus
      /plus%2Bsign.jpg               | plus
      /percent%2520literal.jpg       | percent
      /%252e%252e/x                  | dots-literal
      """)
  void keysWithSpacesUnicodePlusAndPercentRoundTrip(String target, String expected) throws Exception {
    OriginResponse r = get(target);
    assertThat(r.status()).as(target).isEqualTo(200);
    assertThat(body(r)).isEqualTo(expected);
  }

  @Test
  void conditionalAndRangedFetches() throws Exception {
    OriginResponse full = get("/a.jpg");
    String etag = full.headers().get("ETag");
    String lastModified = full.headers().get("Last-Modified");
    full.close();
    OriginResponse byEtag = get("/a.jpg", "If-None-Match", etag);
    assertThat(byEtag.status()).isEqualTo(304);
    byEtag.close();
    // S3Proxy keeps milliseconds, Last-Modified has seconds: ask about the second after it
    String nextSecond = HttpDates.format(HttpDates.parse(lastModified) + 1000);
    OriginResponse byDate = get("/a.jpg", "If-Modified-Since", nextSecond);
    assertThat(byDate.status()).isEqualTo(304);
    byDate.close();
    OriginResponse range = get("/a.jpg", "Range", "bytes=2-4");
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.headers().get("Content-Range")).isEqualTo("bytes 2-4/7");
    assertThat(body(range)).isEqualTo("oto");
    OriginResponse ifRange = get("/a.jpg", "Range", "bytes=2-4", "If-Range", "\"other\"");
    assertThat(ifRange.status()).as("S3 has no If-Range: the whole object is asked for").isEqualTo(200);
    assertThat(body(ifRange)).isEqualTo("photo-a");
  }

  @Test
  void missingObjectsAre404CachedBriefly() throws Exception {
    OriginResponse r = get("/nope.jpg");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers().get("Cache-Control")).isEqualTo("max-age=10");
    assertThat(body(r)).isEqualTo("Not Found\n");
  }

  @Test
  void pathsThatCouldLeaveThePrefixNeverReachTheBucket() throws Exception {
    for (String target : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
        "/a/%2E%2E/%2E%2E/secret.txt"}) {
      OriginResponse r = get(target);
      assertThat(r.status()).as(target).isEqualTo(400);
      assertThat(body(r)).doesNotContain("outside the prefix");
    }
    OriginResponse listing = get("/");
    assertThat(listing.status()).as("no bucket listing").isEqualTo(404);
    assertThat(body(listing)).doesNotContain("<ListBucketResult");
  }

  @Test
  void onlyGetAndHeadAreSent() throws Exception {
    OriginResponse r = client.fetch(new OriginRequest("PUT", "/a.jpg", "h", HttpFields.EMPTY, new byte[] {1}))
        .join();
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers().get("Allow")).isEqualTo("GET, HEAD");
    r.close();
    assertThat(body(get("/a.jpg"))).as("the object is unchanged").isEqualTo("photo-a");
  }

  @Test
  void aWrongSecretIsTheEdgesFaultNotTheClients() throws Exception {
    try (OriginClient wrong = OriginClients.create(config("pub/", "not-the-secret"))) {
      OriginResponse r = wrong.fetch(OriginRequest.get("/a.jpg", "h", HttpFields.EMPTY)).join();
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.headers().get("Cache-Control")).isEqualTo("no-store");
      assertThat(body(r)).contains("SignatureDoesNotMatch");
    }
  }
}
