package dev.cachalot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private Path yaml(String text) throws Exception {
    Path p = tmp.resolve("edge.yaml");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void defaultsNeedOnlyAnOrigin() {
    EdgeConfig c = ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://127.0.0.1:8081"));
    assertThat(c.listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
    assertThat(c.admin()).isEqualTo(new HostPort("127.0.0.1", 9090));
    assertThat(c.cache().memorySize()).isEqualTo(CacheConfig.DEFAULT_MEMORY_SIZE);
    assertThat(c.origin().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everyProblemIsListedWithItsPath() throws Exception {
    Path f = yaml("""
        listen: here
        origin:
          url: gopher://x
          connectTimeout: -3s
        cache:
          memorySize: 0
          maxObjectSize: lots
          colour: blue
        server:
          ioThreads: 0
        """);
    assertThatThrownBy(() -> ConfigLoader.loadEdge(f, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "listen: expected HOST:PORT, e.g. 127.0.0.1:8080 (was 'here')",
            "origin.connectTimeout: not a duration (use e.g. 250ms, 30s, 5m, 1h): '-3s'",
            "origin.url: must be http://, https:// or file: (was 'gopher://x')",
            "cache.memorySize: must be between 1MiB and 1TiB (was 0B)",
            "cache.maxObjectSize: not a size (use e.g. 512MiB, 1GiB, 64k): 'lots'",
            "server.ioThreads: must be between 1 and 256 (was 0)",
            "cache.colour: unknown key"));
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws Exception {
    Path f = yaml("origin:\n  url: http://file:1\ncache:\n  memorySize: 64MiB\nlisten: 127.0.0.1:1\n");
    EdgeConfig c = ConfigLoader.loadEdge(f,
        Map.of("CACHALOT_CACHE_MEMORY_SIZE", "128m", "CACHALOT_LISTEN", "127.0.0.1:2"),
        Map.of("listen", "127.0.0.1:3"));
    assertThat(c.cache().memorySize()).isEqualTo(128L << 20);
    assertThat(c.listen().port()).isEqualTo(3);
    assertThat(c.origin().url().toString()).isEqualTo("http://file:1");
  }

  @Test
  void envNamesFollowThePath() {
    assertThat(ConfigTree.envName("cache.maxObjectSize")).isEqualTo("CACHALOT_CACHE_MAX_OBJECT_SIZE");
    assertThat(ConfigTree.envName("origin.url")).isEqualTo("CACHALOT_ORIGIN_URL");
  }

  @Test
  void missingOriginAndBadYamlAreClearErrors() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.loadEdge(null, Map.of(), Map.of()))
        .hasMessageContaining("origin.url: is required");
    Path bad = yaml("listen: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.loadEdge(bad, Map.of(), Map.of())).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> ConfigLoader.loadEdge(tmp.resolve("nope.yaml"), Map.of(), Map.of()))
        .hasMessageContaining("no such file");
  }

  @Test
  void crossFieldRules() {
    assertThatThrownBy(() -> ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1",
        "cache.memorySize", "16MiB", "cache.maxObjectSize", "32MiB")))
        .hasMessageContaining("cache.maxObjectSize: must not exceed cache.memorySize (32MiB > 16MiB)");
    assertThatThrownBy(() -> ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1",
        "listen", "127.0.0.1:9090"))).hasMessageContaining("admin.listen: must differ from listen");
  }

  @Test
  void sizesAndDurationsParse() {
    assertThat(Sizes.parse("1g")).isEqualTo(1L << 30);
    assertThat(Sizes.parse("512MiB")).isEqualTo(512L << 20);
    assertThat(Sizes.parse("64 k")).isEqualTo(64L << 10);
    assertThat(Sizes.parse("100")).isEqualTo(100);
    assertThat(Sizes.format(3L << 30)).isEqualTo("3GiB");
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> Sizes.parse("9999999999999999999g")).isInstanceOf(IllegalArgumentException.class);
    assertThat(HostPort.parse(":8080")).isEqualTo(new HostPort("0.0.0.0", 8080));
    assertThat(HostPort.parse("[::1]:80").host()).isEqualTo("::1");
  }

  @Test
  void theShippedExampleIsValid() {
    EdgeConfig c = ConfigLoader.loadEdge(Path.of("edge.yaml"), Map.of(), Map.of());
    assertThat(c.origin().url().toString()).isEqualTo("http://127.0.0.1:8081");
    assertThat(c.cache().staleIfErrorGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.server().ioThreads()).isEqualTo(2);
  }

  @Test
  void mappedTierIsOptionalAndValidated() throws Exception {
    EdgeConfig none = ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1"));
    assertThat(none.mapped()).isNull();
    EdgeConfig on = ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1",
        "tiers.mapped.dir", tmp.resolve("m").toString(), "tiers.mapped.size", "20GiB"));
    assertThat(on.mapped().size()).isEqualTo(20L << 30);
    assertThat(on.mapped().maxEntries()).isEqualTo((20L << 30) / MappedTierConfig.BYTES_PER_ENTRY);
    assertThat(on.mapped().readThreads()).isEqualTo(MappedTierConfig.defaultReadThreads()).isGreaterThanOrEqualTo(2);
    EdgeConfig eight = ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1",
        "tiers.mapped.dir", tmp.resolve("m").toString(), "tiers.mapped.readThreads", "8"));
    assertThat(eight.mapped().readThreads()).isEqualTo(8);
    assertThat(tmp.resolve("m")).isDirectory();
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThatThrownBy(() -> ConfigLoader.loadEdge(null, Map.of(), Map.of("origin.url", "http://o:1",
        "tiers.mapped.dir", file.toString(), "tiers.mapped.size", "-5g", "tiers.mapped.readThreads", "0")))
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
            "tiers.mapped.size: not a size (use e.g. 512MiB, 1GiB, 64k): '-5g'",
            "tiers.mapped.readThreads: must be between 1 and 256 (was 0)",
            "tiers.mapped.dir: '" + file + "' exists and is not a directory"));
  }
}
