package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.S3Config;
import dev.cachalot.origin.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An edge routing hosts to buckets of a real S3 API server (S3Proxy, which verifies SigV4). */
class S3OriginIT extends EdgeTestBase {
  @TempDir static Path dir;
  static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start(dir);
    s3.createBucket("photos");
    s3.createBucket("videos");
    put("photos", "site/cat.jpg", "meow-bytes", Map.of("Cache-Control", "max-age=60", "Content-Type", "image/jpeg"));
    put("photos", "site/revalidated.jpg", "v1", Map.of("Cache-Control", "max-age=5"));
    put("photos", "site/a b+c%d ✓.jpg", "odd key", Map.of("Cache-Control", "max-age=60"));
    put("videos", "clip.mp4", "0123456789abcdefghij", Map.of("Cache-Control", "max-age=60"));
  }

  private static void put(String bucket, String key, String body, Map<String, String> headers) throws Exception {
    s3.put(bucket, key, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  protected EdgeConfig config() {
    S3Config photos = S3Config.of(S3ProxyServer.REGION, "photos", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
        .withPrefix("site/");
    S3Config videos = S3Config.of(S3ProxyServer.REGION, "videos", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    S3Config broken = videos.withSecret("wrong-secret");
    return baseConfig(cacheConfig()).withOrigins(List.of(
        OriginConfig.s3(s3.endpoint(), photos).withRoute("photos", List.of("photos.example")),
        OriginConfig.s3(s3.endpoint(), videos).withRoute("videos", List.of("media.example/video/")),
        OriginConfig.s3(s3.endpoint(), broken).withRoute("broken", List.of("broken.example"))));
  }

  @Test
  void servesObjectsFromTheBucketThenFromCache() throws Exception {
    Result miss = get("/cat.jpg", "Host", "photos.example");
    assertThat(miss.code()).isEqualTo(200);
    assertThat(miss.body()).isEqualTo("meow-bytes");
    assertThat(miss.header("Content-Type")).isEqualTo("image/jpeg");
    assertThat(miss.hit()).isFalse();
    Result hit = get("/cat.jpg", "Host", "photos.example");
    assertThat(hit.hit()).isTrue();
    assertThat(hit.body()).isEqualTo("meow-bytes");
  }

  @Test
  void revalidatesWithTheBucketAfterExpiry() throws Exception {
    Result first = get("/revalidated.jpg", "Host", "photos.example");
    assertThat(first.body()).isEqualTo("v1");
    clock.advanceSeconds(10);
    Result again = get("/revalidated.jpg", "Host", "photos.example");
    assertThat(again.body()).isEqualTo("v1");
    assertThat(again.cacheStatus()).contains("fwd=stale").contains("fwd-status=304");
  }

  @Test
  void servesRangesFromTheBucket() throws Exception {
    for (String target : new String[] {"/video/../clip.mp4", "/video/%2e%2e/clip.mp4", "/video/..%2fclip.mp4"}) {
      assertThat(rawStatusLine(target, "media.example")).as(target).startsWith("HTTP/1.1 400");
    }
    Result ok = get("/clip.mp4", "Host", "media.example", "Range", "bytes=5-9");
    assertThat(ok.code()).as("outside the routed path prefix").isEqualTo(421);
    // the videos origin serves media.example/video/..., and its keys include that path
    put("videos", "video/clip.mp4", "0123456789abcdefghij", Map.of("Cache-Control", "max-age=60"));
    Result part = get("/video/clip.mp4", "Host", "media.example", "Range", "bytes=5-9");
    assertThat(part.code()).isEqualTo(206);
    assertThat(part.body()).isEqualTo("56789");
    assertThat(part.header("Content-Range")).isEqualTo("bytes 5-9/20");
  }

  /** Sends the target byte for byte (HTTP clients resolve dot segments before sending). */
  private String rawStatusLine(String target, String host) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", edge.address().getPort())) {
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.ISO_8859_1)).readLine();
    }
  }

  @Test
  void oddKeysRoundTripThroughTheEdge() throws Exception {
    Result r = get("/a%20b+c%25d%20%E2%9C%93.jpg", "Host", "photos.example");
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("odd key");
  }

  @Test
  void missingObjectsAreCachedBrieflyAndAWrongSecretIs502() throws Exception {
    Result missing = get("/nope.jpg", "Host", "photos.example");
    assertThat(missing.code()).isEqualTo(404);
    assertThat(get("/nope.jpg", "Host", "photos.example").hit()).as("negative caching").isTrue();
    clock.advanceSeconds(11);
    assertThat(get("/nope.jpg", "Host", "photos.example").hit()).isFalse();

    Result denied = get("/clip.mp4", "Host", "broken.example");
    assertThat(denied.code()).isEqualTo(502);
    assertThat(denied.body()).contains("SignatureDoesNotMatch");
    assertThat(get("/clip.mp4", "Host", "broken.example").hit()).as("never cached").isFalse();
  }

  @Test
  void unknownHostsAreRefusedWith421() throws Exception {
    Result r = get("/cat.jpg", "Host", "elsewhere.example");
    assertThat(r.code()).isEqualTo(421);
    assertThat(r.body()).contains("no origin is configured for host 'elsewhere.example'");
  }
}
