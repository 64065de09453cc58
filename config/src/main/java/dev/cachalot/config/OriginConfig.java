package dev.cachalot.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One origin and the requests routed to it.
 *
 * @param name the origin's name in config, logs and metrics
 * @param url base URL: {@code http://}, {@code https://}, {@code file:} (a directory served with validators, for
 *     the demo and tests), or for an S3 origin its endpoint
 * @param s3 the bucket, for an S3 origin; null for the others
 * @param hosts the requests this origin serves: {@code host}, {@code *.domain} or {@code *}, each optionally with
 *     a path prefix ({@code img.example.com/thumbs/})
 * @param connectTimeout TCP (and TLS) connect timeout
 * @param firstByteTimeout longest wait from sending the request to the response head
 * @param idleTimeout longest wait between two reads of a response body
 * @param resilience retries, circuit breaker and bulkhead
 * @param preserveHost send the client's Host to the origin instead of the origin URL's host
 * @param fileCacheControl Cache-Control sent by a {@code file:} origin
 */
public record OriginConfig(
    String name,
    URI url,
    @Nullable S3Config s3,
    List<String> hosts,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration idleTimeout,
    ResilienceConfig resilience,
    boolean preserveHost,
    String fileCacheControl) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(15);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final String DEFAULT_FILE_CACHE_CONTROL = "public, max-age=300";
  public static final List<String> ALL_HOSTS = List.of("*");

  public OriginConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    hosts = List.copyOf(hosts);
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !(scheme.equals("file") && s3 == null)) {
      throw new IllegalArgumentException("url must be http://, https:// or file: (was '" + url + "')");
    }
    for (Duration d : List.of(connectTimeout, firstByteTimeout, idleTimeout)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be > 0");
      }
    }
  }

  /** An HTTP or {@code file:} origin for every host, with default timeouts. */
  public static OriginConfig of(String url) {
    return new OriginConfig("default", URI.create(url), null, ALL_HOSTS, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_FIRST_BYTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, ResilienceConfig.defaults(), false,
        DEFAULT_FILE_CACHE_CONTROL);
  }

  /** An S3 bucket behind {@code endpoint}, for every host. */
  public static OriginConfig s3(String endpoint, S3Config s3) {
    return of(endpoint).withS3(s3);
  }

  public boolean isFile() {
    return "file".equalsIgnoreCase(url.getScheme());
  }

  public OriginConfig withS3(@Nullable S3Config s) {
    return new OriginConfig(name, url, s, hosts, connectTimeout, firstByteTimeout, idleTimeout, resilience,
        preserveHost, fileCacheControl);
  }

  public OriginConfig withRoute(String originName, List<String> routedHosts) {
    return new OriginConfig(originName, url, s3, routedHosts, connectTimeout, firstByteTimeout, idleTimeout,
        resilience, preserveHost, fileCacheControl);
  }

  public OriginConfig withTimeouts(Duration connect, Duration firstByte, Duration idle) {
    return new OriginConfig(name, url, s3, hosts, connect, firstByte, idle, resilience, preserveHost,
        fileCacheControl);
  }

  public OriginConfig withResilience(ResilienceConfig r) {
    return new OriginConfig(name, url, s3, hosts, connectTimeout, firstByteTimeout, idleTimeout, r, preserveHost,
        fileCacheControl);
  }
}
