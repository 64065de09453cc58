package dev.cachalot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurgeConfigTest {
  @TempDir Path tmp;

  @Test
  void theShippedPurgeExampleIsValid() {
    PurgeServiceConfig c = ConfigLoader.loadPurgeService(Path.of("purge.yaml"), Map.of(),
        Map.of("dataDir", tmp.resolve("data").toString()));
    assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 8091));
    assertThat(c.tokens()).extracting(PurgeTokenConfig::name).containsExactly("photos-team", "ops");
    assertThat(c.tokens().get(1).rights()).contains("all");
    assertThat(c.toString()).doesNotContain("change-me");
    assertThat(c.natsUrl()).as("embedded by default").isNull();
    PurgeServiceConfig nats = ConfigLoader.loadPurgeService(Path.of("purge.yaml"), Map.of(),
        Map.of("dataDir", tmp.resolve("data").toString(), "log.backend", "nats"));
    assertThat(nats.natsUrl()).isEqualTo("nats://127.0.0.1:4222");
    assertThat(PurgeServiceConfig.subjectOf(nats.natsStream())).isEqualTo("cachalot.purges");
  }

  @Test
  void tokenProblemsAreListedWithTheirPaths() throws Exception {
    Path f = tmp.resolve("p.yaml");
    Files.writeString(f, """
        tokens:
          a: {token: short, hosts: [x]}
          b: {token: long-enough-secret-1, rights: [url, everything]}
          c: {token: long-enough-secret-1, hosts: [y]}
        """);
    assertThatThrownBy(() -> ConfigLoader.loadPurgeService(f, Map.of(), Map.of("dataDir", tmp.toString())))
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "tokens.a.token: a secret of at least 16 characters is required",
            "tokens.b.hosts: list the hosts this token may purge (host, *.domain or *)",
            "tokens.b.rights: 'everything' is not one of url, prefix, tag, all",
            "tokens.c.token: the same secret is used by another token"));
  }

  @Test
  void anEdgeFollowsAPurgeServiceWhenOneIsConfigured() {
    EdgeConfig none = ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1"));
    assertThat(none.purge()).isNull();
    EdgeConfig on = ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1",
        "purge.service", "http://127.0.0.1:8091", "purge.edgeId", "edge-7", "purge.whenUnreachable", "miss"));
    assertThat(on.purge().edgeId()).isEqualTo("edge-7");
    assertThat(on.purge().whenUnreachable()).isEqualTo(PurgeFollowConfig.Unreachable.MISS);
    assertThat(on.purge().catchUpTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1",
        "purge.service", "ftp://x", "purge.whenUnreachable", "panic")))
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "purge.whenUnreachable: must be revalidate, miss or serve (was 'panic')",
            "purge.service: must be an http(s) URL such as http://127.0.0.1:8091 (was 'ftp://x')"));
  }
}
