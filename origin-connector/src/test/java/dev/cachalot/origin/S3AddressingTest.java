package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.S3Config;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** Path-style and virtual-hosted requests: URL, Host, and a signature over the same path the URL carries. */
class S3AddressingTest {
  private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");

  private static Request request(boolean virtual) {
    S3Config s3 = new S3Config("eu-west-1", "media", "pub/", virtual, "AKID", "SECRET", null,
        S3Config.DEFAULT_NOT_FOUND_TTL);
    try (S3OriginClient c = new S3OriginClient(OriginConfig.s3("https://s3.eu-west-1.amazonaws.com", s3),
        Clock.fixed(NOW, ZoneOffset.UTC))) {
      return c.signedRequest("GET", "pub/a b.jpg", HttpFields.of("Range", "bytes=0-9", "Cookie", "x=1"));
    }
  }

  @Test
  void pathStyleNamesTheBucketInThePath() {
    Request r = request(false);
    assertThat(r.url().toString()).isEqualTo("https://s3.eu-west-1.amazonaws.com/media/pub/a%20b.jpg");
    assertThat(r.header("Range")).isEqualTo("bytes=0-9");
    assertThat(r.header("Cookie")).as("only range and conditionals are forwarded").isNull();
    String expected = new SigV4Signer("AKID", "SECRET", null, "eu-west-1", "s3", true).sign("GET",
        "/media/pub/a b.jpg", List.of(), Map.of("host", "s3.eu-west-1.amazonaws.com"), SigV4Signer.EMPTY_SHA256, NOW)
        .get("Authorization");
    assertThat(r.header("Authorization")).isEqualTo(expected);
  }

  @Test
  void virtualHostedNamesTheBucketInTheHost() {
    Request r = request(true);
    assertThat(r.url().toString()).isEqualTo("https://media.s3.eu-west-1.amazonaws.com/pub/a%20b.jpg");
    String expected = new SigV4Signer("AKID", "SECRET", null, "eu-west-1", "s3", true).sign("GET",
        "/pub/a b.jpg", List.of(), Map.of("host", "media.s3.eu-west-1.amazonaws.com"), SigV4Signer.EMPTY_SHA256,
        NOW).get("Authorization");
    assertThat(r.header("Authorization")).isEqualTo(expected);
    assertThat(r.header("x-amz-date")).isEqualTo("20261122T060000Z");
  }
}
