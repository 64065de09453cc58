package dev.cachalot.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything an edge node needs. Built by {@link ConfigLoader#loadEdge}, or directly in tests.
 *
 * @param listen where clients connect
 * @param admin the admin listener ({@code /healthz}, {@code /readyz}); loopback by default
 * @param mapped the persisted tier behind the memory tier, or null for memory only
 */
public record EdgeConfig(HostPort listen, HostPort admin, OriginConfig origin, CacheConfig cache, ServerConfig server,
    @Nullable MappedTierConfig mapped) {
  public static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 8080);
  public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 9090);

  public EdgeConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(server, "server");
  }

  /** Memory only. */
  public EdgeConfig(HostPort listen, HostPort admin, OriginConfig origin, CacheConfig cache, ServerConfig server) {
    this(listen, admin, origin, cache, server, null);
  }

  public EdgeConfig withMapped(@Nullable MappedTierConfig m) {
    return new EdgeConfig(listen, admin, origin, cache, server, m);
  }

  public EdgeConfig withOrigin(OriginConfig o) {
    return new EdgeConfig(listen, admin, o, cache, server, mapped);
  }
}
