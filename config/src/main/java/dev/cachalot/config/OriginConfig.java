package dev.cachalot.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One origin. {@code url} is {@code http://}, {@code https://} or {@code file:} (a directory served with
 * validators, for the demo and tests).
 *
 * @param url base URL; request paths are appended to its path
 * @param connectTimeout TCP (and TLS) connect timeout
 * @param readTimeout longest wait for the first byte and between bytes
 * @param maxConcurrentFetches cap on origin requests in flight; more wait in a queue
 * @param preserveHost send the client's Host to the origin instead of the origin URL's host
 * @param fileCacheControl Cache-Control sent by a {@code file:} origin
 */
public record OriginConfig(
    URI url,
    Duration connectTimeout,
    Duration readTimeout,
    int maxConcurrentFetches,
    boolean preserveHost,
    String fileCacheControl) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final String DEFAULT_FILE_CACHE_CONTROL = "public, max-age=300";

  public OriginConfig {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
      throw new IllegalArgumentException("url must be http://, https:// or file: (was '" + url + "')");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be > 0");
    }
    if (maxConcurrentFetches < 1) {
      throw new IllegalArgumentException("maxConcurrentFetches must be >= 1");
    }
  }

  /** An origin with default timeouts. */
  public static OriginConfig of(String url) {
    return new OriginConfig(URI.create(url), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, 256, false,
        DEFAULT_FILE_CACHE_CONTROL);
  }

  public boolean isFile() {
    return "file".equalsIgnoreCase(url.getScheme());
  }
}
