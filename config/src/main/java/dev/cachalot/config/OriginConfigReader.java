package dev.cachalot.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the origins: either one {@code origin} section that serves every host, or named {@code origins.NAME}
 * sections, each listing the {@code hosts} routed to it. Never both, so no request reaches a default origin by
 * accident.
 */
final class OriginConfigReader {
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration MS = Duration.ofMillis(1);

  private final ConfigTree t;
  private final Map<String, String> env;

  OriginConfigReader(ConfigTree t, Map<String, String> env) {
    this.t = t;
    this.env = env;
  }

  /** The origins, or an empty list after reporting the problems. */
  List<OriginConfig> read() {
    List<String> names = t.keys("origins");
    boolean single = t.present("origin.url") || t.present("origin.s3.bucket");
    if (!names.isEmpty() && single) {
      t.problem("origin", "use either one 'origin' for every host or named 'origins' with hosts, not both");
      t.skip("origin");
      t.skip("origins");
      return List.of();
    }
    if (names.isEmpty()) {
      if (!single) {
        t.problem("origin.url", "is required (e.g. http://127.0.0.1:8081, or --origin URL)");
        return List.of();
      }
      OriginConfig o = origin("origin", "default", OriginConfig.ALL_HOSTS);
      return o == null ? List.of() : List.of(o);
    }
    List<OriginConfig> out = new ArrayList<>();
    Map<String, String> routeOwners = new HashMap<>();
    for (String name : names) {
      String path = "origins." + name;
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
        t.problem(path, "origin names are letters, digits, '-' and '_'");
        continue;
      }
      List<String> hosts = hosts(path + ".hosts", routeOwners, name);
      OriginConfig o = origin(path, name, hosts);
      if (o != null) {
        out.add(o);
      }
    }
    return out;
  }

  private List<String> hosts(String path, Map<String, String> owners, String name) {
    List<String> hosts = t.list(path, List.of());
    if (hosts.isEmpty()) {
      t.problem(path, "list the hosts this origin serves (e.g. [img.example.com, '*.example.com/static/'])");
    }
    List<String> out = new ArrayList<>();
    for (String raw : hosts) {
      String h = raw.toLowerCase(Locale.ROOT);
      int slash = h.indexOf('/');
      String host = slash < 0 ? h : h.substring(0, slash);
      if (!host.equals("*") && !host.matches("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
        t.problem(path, "'" + raw + "' is not a host, *.domain or * (optionally followed by /path/prefix)");
        continue;
      }
      String previous = owners.putIfAbsent(h, name);
      if (previous != null) {
        t.problem(path, "'" + raw + "' is already routed to origin '" + previous + "'");
        continue;
      }
      out.add(h);
    }
    return out;
  }

  private @Nullable OriginConfig origin(String p, String name, List<String> hosts) {
    Duration connect = t.duration(p + ".connectTimeout", OriginConfig.DEFAULT_CONNECT_TIMEOUT, MS, DAY);
    Duration firstByte = t.duration(p + ".firstByteTimeout", OriginConfig.DEFAULT_FIRST_BYTE_TIMEOUT, MS, DAY);
    Duration idle = t.duration(p + ".idleTimeout", OriginConfig.DEFAULT_IDLE_TIMEOUT, MS, DAY);
    boolean preserveHost = t.bool(p + ".preserveHost", false);
    String fileCc = t.string(p + ".fileCacheControl", OriginConfig.DEFAULT_FILE_CACHE_CONTROL);
    ResilienceConfig resilience = resilience(p);
    boolean isS3 = t.present(p + ".s3.bucket");
    S3Config s3 = isS3 ? s3(p + ".s3") : null;
    if (isS3 && t.present(p + ".url")) {
      t.problem(p + ".url", "an S3 origin takes its address from s3.endpoint");
      return null;
    }
    if (isS3 && s3 == null) {
      return null;
    }
    URI url = s3 != null ? s3Endpoint(p + ".s3", s3.region()) : url(p + ".url", t.optionalString(p + ".url"));
    if (url == null || resilience == null) {
      return null;
    }
    return new OriginConfig(name, url, s3, hosts, connect, firstByte, idle, resilience, preserveHost, fileCc);
  }

  private @Nullable ResilienceConfig resilience(String p) {
    ResilienceConfig d = ResilienceConfig.defaults();
    int attempts = t.integer(p + ".retry.maxAttempts", d.maxAttempts(), 1, 10);
    Duration base = t.duration(p + ".retry.baseDelay", d.retryBaseDelay(), Duration.ZERO, Duration.ofMinutes(1));
    Duration max = t.duration(p + ".retry.maxDelay", d.retryMaxDelay(), Duration.ZERO, Duration.ofMinutes(10));
    int budget = t.integer(p + ".retry.budgetPercent", d.retryBudgetPercent(), 0, 100);
    int failures = t.integer(p + ".breaker.failureThreshold", d.breakerFailures(), 0, 1_000_000);
    Duration coolDown = t.duration(p + ".breaker.coolDown", d.breakerCoolDown(), MS, DAY);
    int concurrent = t.integer(p + ".bulkhead.maxConcurrent", d.maxConcurrent(), 1, 65_536);
    int queued = t.integer(p + ".bulkhead.maxQueued", d.maxQueued(), 0, 1_000_000);
    Duration queueTimeout = t.duration(p + ".bulkhead.queueTimeout", d.queueTimeout(), MS, DAY);
    if (!t.valid(p + ".retry", p + ".breaker", p + ".bulkhead")) {
      return null;
    }
    return new ResilienceConfig(attempts, base, max, budget, failures, coolDown, concurrent, queued, queueTimeout);
  }

  private @Nullable S3Config s3(String p) {
    String bucket = t.string(p + ".bucket", "");
    String region = t.string(p + ".region", "us-east-1");
    String prefix = t.string(p + ".prefix", "");
    String addressing = t.string(p + ".addressing", "path").toLowerCase(Locale.ROOT);
    Duration notFound = t.duration(p + ".notFoundTtl", S3Config.DEFAULT_NOT_FOUND_TTL, Duration.ZERO, DAY);
    // Credentials: config first, then the standard AWS variables; none means anonymous (public buckets).
    String key = firstNonNull(t.optionalString(p + ".accessKeyId"), env.get("AWS_ACCESS_KEY_ID"));
    String secret = firstNonNull(t.optionalString(p + ".secretAccessKey"), env.get("AWS_SECRET_ACCESS_KEY"));
    String token = firstNonNull(t.optionalString(p + ".sessionToken"), env.get("AWS_SESSION_TOKEN"));
    boolean ok = true;
    if (!addressing.equals("path") && !addressing.equals("virtual")) {
      t.problem(p + ".addressing", "must be 'path' or 'virtual' (was '" + addressing + "')");
      ok = false;
    }
    if (!region.matches("[a-z0-9-]+")) {
      t.problem(p + ".region", "not a region such as us-east-1 (was '" + region + "')");
      ok = false;
    }
    if ((key == null) != (secret == null)) {
      t.problem(p + ".secretAccessKey", "accessKeyId and secretAccessKey must be given together");
      ok = false;
    }
    if (!ok || !t.valid(p + ".notFoundTtl")) {
      return null;
    }
    try {
      return new S3Config(region, bucket, prefix, addressing.equals("virtual"), key, secret, token, notFound);
    } catch (IllegalArgumentException e) {
      t.problem(p + (e.getMessage() != null && e.getMessage().startsWith("prefix") ? ".prefix" : ".bucket"),
          String.valueOf(e.getMessage()));
      return null;
    }
  }

  private @Nullable URI s3Endpoint(String p, String region) {
    String endpoint = t.string(p + ".endpoint", "https://s3." + region + ".amazonaws.com");
    URI uri = url(p + ".endpoint", endpoint);
    if (uri != null && "file".equalsIgnoreCase(uri.getScheme())) {
      t.problem(p + ".endpoint", "must be http:// or https:// (was '" + endpoint + "')");
      return null;
    }
    return uri;
  }

  private @Nullable URI url(String path, @Nullable String url) {
    if (url == null) {
      t.problem(path, "is required (e.g. http://127.0.0.1:8081, or --origin URL)");
      return null;
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      t.problem(path, "not a URL: " + e.getMessage());
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "http", "https" -> {
        if (uri.getHost() == null) {
          t.problem(path, "has no host (was '" + url + "')");
          return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
          t.problem(path, "must not have a query or fragment (was '" + url + "')");
          return null;
        }
      }
      case "file" -> {
        Path dir = Path.of(uri.getPath() == null ? "" : uri.getPath());
        if (!Files.isDirectory(dir)) {
          t.problem(path, "file: origin must be an existing directory (was '" + url + "')");
          return null;
        }
      }
      default -> {
        t.problem(path, "must be http://, https:// or file: (was '" + url + "')");
        return null;
      }
    }
    return uri;
  }

  private static @Nullable String firstNonNull(@Nullable String a, @Nullable String b) {
    return a != null ? a : b;
  }
}
