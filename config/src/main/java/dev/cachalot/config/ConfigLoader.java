package dev.cachalot.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Loads configuration: YAML file (optional), then {@code CACHALOT_*} environment variables, then explicit overrides
 * (command-line flags), each keyed by dotted path. All problems are reported together.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration ZERO = Duration.ZERO;
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration YEAR = Duration.ofDays(365);

  private ConfigLoader() {}

  /**
   * Loads an edge configuration.
   *
   * @param file YAML file, or null for defaults only
   * @param env environment (usually {@code System.getenv()}); keys like {@code CACHALOT_ORIGIN_URL}
   * @param overrides dotted path → value, applied last (e.g. {@code listen} → {@code 127.0.0.1:8080})
   */
  public static EdgeConfig loadEdge(@Nullable Path file, Map<String, String> env, Map<String, String> overrides) {
    ConfigTree t = new ConfigTree(readYaml(file), env, overrides);
    HostPort listen = t.hostPort("listen", EdgeConfig.DEFAULT_LISTEN);
    HostPort admin = t.hostPort("admin.listen", EdgeConfig.DEFAULT_ADMIN);
    List<OriginConfig> origins = new OriginConfigReader(t, env).read();
    CacheConfig cache = cache(t);
    ServerConfig defaults = ServerConfig.defaults();
    int ioThreads = t.integer("server.ioThreads", defaults.ioThreads(), 1, 256);
    long maxBody = t.size("server.maxRequestBodySize", defaults.maxRequestBodySize(), 0, 1L << 40);
    String name = t.string("server.name", defaults.name());
    if (!name.matches("[A-Za-z][A-Za-z0-9._-]*")) {
      t.problem("server.name", "must be a token such as 'cachalot' (was '" + name + "')");
    }
    if (listen.equals(admin) && listen.port() != 0) {
      t.problem("admin.listen", "must differ from listen (both " + listen + ")");
    }
    MappedTierConfig mapped = mapped(t);
    OpsConfig ops = ops(t);
    PurgeFollowConfig purge = purgeFollow(t, listen);
    t.finish(); // throws if anything was wrong, so origins and cache are set below
    return new EdgeConfig(listen, admin, origins, Objects.requireNonNull(cache),
        new ServerConfig(ioThreads, maxBody, name), mapped, ops, purge);
  }

  private static @Nullable CacheConfig cache(ConfigTree t) {
    CacheConfig d = CacheConfig.defaults();
    long memory = t.size("cache.memorySize", d.memorySize(), 1L << 20, 1L << 40);
    long maxObject = t.size("cache.maxObjectSize", d.maxObjectSize(), 1, 1L << 40);
    Duration heuristic = t.duration("cache.heuristicMaxTtl", d.heuristicMaxTtl(), ZERO, YEAR);
    Duration grace = t.duration("cache.staleIfErrorGrace", d.staleIfErrorGrace(), ZERO, YEAR);
    Duration hitForMiss = t.duration("cache.hitForMissTtl", d.hitForMissTtl(), ZERO, DAY);
    Duration coalesce = t.duration("cache.coalesceTimeout", d.coalesceTimeout(), Duration.ofMillis(1), DAY);
    var cookieHosts = new HashSet<String>();
    for (String h : t.list("cache.setCookieHosts", java.util.List.of())) {
      cookieHosts.add(h.toLowerCase(Locale.ROOT));
    }
    if (maxObject > memory && t.valid("cache.memorySize", "cache.maxObjectSize")) {
      t.problem("cache.maxObjectSize", "must not exceed cache.memorySize (" + Sizes.format(maxObject) + " > "
          + Sizes.format(memory) + ")");
      return null;
    }
    if (!t.valid("cache.memorySize", "cache.maxObjectSize")) {
      return null;
    }
    long sliceSize = t.size("cache.sliceSize", Math.min(CacheConfig.DEFAULT_SLICE_SIZE, maxObject), 0, 1L << 30);
    long sliceThreshold = t.size("cache.sliceThreshold", CacheConfig.DEFAULT_SLICE_THRESHOLD, 0, 1L << 50);
    if (sliceSize > maxObject && t.valid("cache.sliceSize")) {
      t.problem("cache.sliceSize", "must not exceed cache.maxObjectSize (" + Sizes.format(sliceSize) + " > "
          + Sizes.format(maxObject) + ")");
      return null;
    }
    if (!t.valid("cache.sliceSize", "cache.sliceThreshold")) {
      return null;
    }
    int readAhead = t.integer("cache.sliceReadAhead", CacheConfig.DEFAULT_SLICE_READ_AHEAD, 0, 64);
    return new CacheConfig(memory, maxObject, heuristic, grace, hitForMiss, coalesce, cookieHosts, sliceSize,
        sliceThreshold, readAhead);
  }

  private static @Nullable PurgeFollowConfig purgeFollow(ConfigTree t, HostPort listen) {
    String service = t.optionalString("purge.service");
    String natsUrl = t.optionalString("purge.nats.url");
    String stream = t.string("purge.nats.stream", PurgeServiceConfig.DEFAULT_STREAM);
    if (natsUrl != null && !natsUrl.startsWith("nats://")) {
      t.problem("purge.nats.url", "must be a nats:// URL (was '" + natsUrl + "')");
      natsUrl = null;
    }
    String edgeId = t.string("purge.edgeId", defaultEdgeId(listen));
    String token = t.optionalString("purge.edgeToken");
    Duration catchUp = t.duration("purge.catchUpTimeout", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(10));
    String mode = t.string("purge.whenUnreachable", "revalidate");
    PurgeFollowConfig.Unreachable unreachable = PurgeFollowConfig.Unreachable.REVALIDATE;
    try {
      unreachable = PurgeFollowConfig.Unreachable.parse(mode);
    } catch (IllegalArgumentException e) {
      t.problem("purge.whenUnreachable", "must be revalidate, miss or serve (was '" + mode + "')");
    }
    if (!edgeId.matches("[A-Za-z0-9._:-]{1,128}")) {
      t.problem("purge.edgeId", "letters, digits and . _ : - only (was '" + edgeId + "')");
    }
    if (service == null || service.isBlank()) {
      return natsUrl == null ? null
          : new PurgeFollowConfig(null, edgeId, token, catchUp, unreachable, natsUrl, stream);
    }
    URI uri;
    try {
      uri = new URI(service.trim());
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        t.problem("purge.service", "must be an http(s) URL such as http://127.0.0.1:8091 (was '" + service + "')");
        return null;
      }
    } catch (URISyntaxException e) {
      t.problem("purge.service", "not a URL: " + e.getMessage());
      return null;
    }
    return new PurgeFollowConfig(uri, edgeId, token, catchUp, unreachable, natsUrl, stream);
  }

  private static String defaultEdgeId(HostPort listen) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "edge";
    }
    return (host + "-" + listen.port()).replaceAll("[^A-Za-z0-9._:-]", "-");
  }

  /**
   * Loads the purge service's configuration.
   *
   * @param file YAML file, or null for defaults only
   */
  public static PurgeServiceConfig loadPurgeService(@Nullable Path file, Map<String, String> env,
      Map<String, String> overrides) {
    ConfigTree t = new ConfigTree(readYaml(file), env, overrides);
    HostPort listen = t.hostPort("listen", PurgeServiceConfig.DEFAULT_LISTEN);
    String dir = t.string("dataDir", "cachalot-purge-data");
    String edgeToken = t.optionalString("edgeToken");
    if (edgeToken != null && edgeToken.length() < 16) {
      t.problem("edgeToken", "must be at least 16 characters");
    }
    java.util.List<PurgeTokenConfig> tokens = new java.util.ArrayList<>();
    java.util.Set<String> secrets = new HashSet<>();
    for (String name : t.keys("tokens")) {
      String p = "tokens." + name;
      String token = t.optionalString(p + ".token");
      List<String> hosts = t.list(p + ".hosts", List.of());
      List<String> rights = t.list(p + ".rights", List.of("url", "prefix", "tag"));
      double rate = t.integer(p + ".ratePerSecond", 100, 1, 1_000_000);
      int burst = t.integer(p + ".burst", 200, 1, 1_000_000);
      if (token == null || token.length() < 16) {
        t.problem(p + ".token", "a secret of at least 16 characters is required");
        continue;
      }
      if (!secrets.add(token)) {
        t.problem(p + ".token", "the same secret is used by another token");
      }
      if (hosts.isEmpty()) {
        t.problem(p + ".hosts", "list the hosts this token may purge (host, *.domain or *)");
      }
      for (String r : rights) {
        if (!PurgeTokenConfig.RIGHTS.contains(r)) {
          t.problem(p + ".rights", "'" + r + "' is not one of url, prefix, tag, all");
        }
      }
      if (t.valid(p)) {
        tokens.add(new PurgeTokenConfig(name, token, hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(),
            java.util.Set.copyOf(rights), rate, burst));
      }
    }
    Path dataDir = Path.of(dir);
    try {
      Files.createDirectories(dataDir);
      if (!Files.isWritable(dataDir)) {
        t.problem("dataDir", "'" + dir + "' is not writable");
      }
    } catch (IOException | RuntimeException e) {
      t.problem("dataDir", "cannot create directory '" + dir + "': " + e.getMessage());
    }
    String backend = t.string("log.backend", "embedded");
    String natsUrl = t.optionalString("log.nats.url");
    String stream = t.string("log.nats.stream", PurgeServiceConfig.DEFAULT_STREAM);
    if (!backend.equals("embedded") && !backend.equals("nats")) {
      t.problem("log.backend", "must be embedded or nats (was '" + backend + "')");
    }
    if (backend.equals("nats") && (natsUrl == null || !natsUrl.startsWith("nats://"))) {
      t.problem("log.nats.url", "a nats:// URL is required with log.backend: nats (was '" + natsUrl + "')");
    }
    if (!stream.matches("[A-Za-z0-9_-]{1,64}")) {
      t.problem("log.nats.stream", "letters, digits, '_' and '-' (was '" + stream + "')");
    }
    t.finish();
    return new PurgeServiceConfig(listen, dataDir, tokens, edgeToken, backend.equals("nats") ? natsUrl : null,
        stream);
  }

  private static OpsConfig ops(ConfigTree t) {
    OpsConfig d = OpsConfig.defaults();
    boolean metrics = t.bool("metrics.enabled", d.metrics());
    int hosts = t.integer("metrics.maxHostLabels", d.maxHostLabels(), 0, 10_000);
    String accessLog = t.string("accessLog.target", d.accessLog()).trim();
    String token = t.optionalString("admin.token");
    if (!accessLog.equals("off") && !accessLog.equals("stdout")) {
      Path parent = Path.of(accessLog).toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
        t.problem("accessLog.target", "must be off, stdout, or a file in a writable directory (was '" + accessLog
            + "')");
      }
    }
    if (token != null && token.length() < 16) {
      t.problem("admin.token", "must be at least 16 characters");
    }
    return new OpsConfig(metrics, hosts, accessLog, token == null || token.isEmpty() ? null : token);
  }

  private static @Nullable MappedTierConfig mapped(ConfigTree t) {
    String dir = t.optionalString("tiers.mapped.dir");
    long size = t.size("tiers.mapped.size", 1L << 30, MappedTierConfig.MIN_SIZE, 1L << 50);
    long defaultEntries = Math.max(1024, size / MappedTierConfig.BYTES_PER_ENTRY);
    long entries = t.size("tiers.mapped.maxEntries", defaultEntries, 1024, 1L << 40);
    int readThreads = t.integer("tiers.mapped.readThreads", MappedTierConfig.defaultReadThreads(), 1, 256);
    if (dir == null || dir.isBlank()) {
      return null;
    }
    Path path = Path.of(dir);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      t.problem("tiers.mapped.dir", "'" + dir + "' exists and is not a directory");
      return null;
    }
    try {
      Files.createDirectories(path);
    } catch (IOException | RuntimeException e) {
      t.problem("tiers.mapped.dir", "cannot create directory '" + dir + "': " + e.getMessage());
      return null;
    }
    if (!Files.isDirectory(path) || !Files.isWritable(path)) {
      t.problem("tiers.mapped.dir", "must be a writable directory (was '" + dir + "')");
      return null;
    }
    if (!t.valid("tiers.mapped.size", "tiers.mapped.maxEntries", "tiers.mapped.readThreads")) {
      return null;
    }
    return new MappedTierConfig(path, size, entries, readThreads);
  }

  private static JsonNode readYaml(@Nullable Path file) {
    if (file == null) {
      return MissingNode.getInstance();
    }
    try {
      JsonNode node = YAML.readTree(Files.readString(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return MissingNode.getInstance();
      }
      if (!node.isObject()) {
        throw new ConfigException(file + ": the top level must be a mapping of keys");
      }
      return node;
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where = loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new ConfigException(file + ":" + where + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
  }
}
