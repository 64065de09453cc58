package dev.cachalot.edge.key;

/**
 * The primary cache key: scheme, host and the raw path with its full query, e.g.
 * {@code http://img.example.com/a.jpg?w=200}. Variants chosen by {@code Vary} live under one primary key. Only
 * {@link CacheKeyFactory} builds keys from requests.
 *
 * @param host normalised host (lower case, no default port), kept for per-host policy and purges
 * @param url the full key
 */
public record CacheKey(String host, String url) {
  @Override
  public String toString() {
    return url;
  }
}
