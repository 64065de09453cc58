package dev.cachalot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginsConfigTest {
  @TempDir Path tmp;

  private EdgeConfig load(String yaml, Map<String, String> env) throws Exception {
    Path p = tmp.resolve("edge.yaml");
    Files.writeString(p, yaml);
    return ConfigLoader.loadEdge(p, env, Map.of());
  }

  private static List<String> problems(Throwable e) {
    return ((ConfigException) e).problems();
  }

  @Test
  void namedOriginsWithHostsAndAnS3Bucket() throws Exception {
    EdgeConfig c = load("""
        origins:
          photos:
            hosts: [Photos.Example.com, "*.cdn.example.com/img/"]
            firstByteTimeout: 3s
            retry: {maxAttempts: 2, budgetPercent: 20}
            breaker: {failureThreshold: 7, coolDown: 30s}
            bulkhead: {maxConcurrent: 32, maxQueued: 64, queueTimeout: 500ms}
            s3:
              endpoint: http://127.0.0.1:9000
              region: eu-west-1
              bucket: photo-bucket
              prefix: public/
              addressing: virtual
              accessKeyId: AK
              secretAccessKey: SECRET
          www:
            hosts: [www.example.com]
            url: https://origin.example.com
        """, Map.of());
    assertThat(c.origins()).hasSize(2);
    OriginConfig photos = c.origins().get(0);
    assertThat(photos.name()).isEqualTo("photos");
    assertThat(photos.hosts()).containsExactly("photos.example.com", "*.cdn.example.com/img/");
    assertThat(photos.url().toString()).isEqualTo("http://127.0.0.1:9000");
    assertThat(photos.firstByteTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(photos.resilience()).isEqualTo(new ResilienceConfig(2, Duration.ofMillis(50), Duration.ofSeconds(1),
        20, 7, Duration.ofSeconds(30), 32, 64, Duration.ofMillis(500)));
    S3Config s3 = photos.s3();
    assertThat(s3).isNotNull();
    assertThat(s3.bucket()).isEqualTo("photo-bucket");
    assertThat(s3.virtualHosted()).isTrue();
    assertThat(s3.secretAccessKey()).isEqualTo("SECRET");
    assertThat(s3.toString()).doesNotContain("SECRET").contains("<redacted>");
    assertThat(c.origins().get(1).s3()).isNull();
  }

  @Test
  void s3CredentialsComeFromTheStandardAwsVariables() throws Exception {
    EdgeConfig c = load("origin:\n  s3:\n    bucket: media\n    region: us-west-2\n",
        Map.of("AWS_ACCESS_KEY_ID", "AKENV", "AWS_SECRET_ACCESS_KEY", "envsecret", "AWS_SESSION_TOKEN", "tok"));
    S3Config s3 = c.origin().s3();
    assertThat(s3.accessKeyId()).isEqualTo("AKENV");
    assertThat(s3.sessionToken()).isEqualTo("tok");
    assertThat(c.origin().url().toString()).isEqualTo("https://s3.us-west-2.amazonaws.com");
    assertThat(c.origin().hosts()).isEqualTo(OriginConfig.ALL_HOSTS);
  }

  @Test
  void routingAndS3ProblemsAreListedWithTheirPaths() throws Exception {
    assertThatThrownBy(() -> load("""
        origins:
          a:
            hosts: [a.example.com, "bad host"]
            url: http://a:1
          b:
            hosts: [a.example.com]
            s3: {bucket: B, addressing: sideways, accessKeyId: only-the-key, prefix: nodash}
          c:
            url: http://c:1
        """, Map.of()))
        .satisfies(e -> assertThat(problems(e)).containsExactlyInAnyOrder(
            "origins.a.hosts: 'bad host' is not a host, *.domain or * (optionally followed by /path/prefix)",
            "origins.b.hosts: 'a.example.com' is already routed to origin 'a'",
            "origins.b.s3.addressing: must be 'path' or 'virtual' (was 'sideways')",
            "origins.b.s3.secretAccessKey: accessKeyId and secretAccessKey must be given together",
            "origins.c.hosts: list the hosts this origin serves (e.g. [img.example.com, '*.example.com/static/'])"));
  }

  @Test
  void oneOriginOrNamedOriginsNeverBoth() {
    assertThatThrownBy(() -> load("origin:\n  url: http://x:1\norigins:\n  a:\n    hosts: [a]\n    url: http://a:1\n",
        Map.of()))
        .satisfies(e -> assertThat(problems(e)).containsExactly(
            "origin: use either one 'origin' for every host or named 'origins' with hosts, not both"));
  }

  @Test
  void badBucketNamesAndPrefixesAreRefused() {
    assertThatThrownBy(() -> load("origin:\n  s3: {bucket: Bad_Bucket}\n", Map.of()))
        .satisfies(e -> assertThat(problems(e).get(0)).startsWith("origin.s3.bucket: bucket must be 3-63"));
    assertThatThrownBy(() -> load("origin:\n  s3: {bucket: good, prefix: nodash}\n", Map.of()))
        .satisfies(e -> assertThat(problems(e).get(0)).startsWith("origin.s3.prefix: prefix must be empty or end"));
  }
}
