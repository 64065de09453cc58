package dev.cachalot.config;

import java.util.Objects;

/**
 * Everything an edge node needs. Built by {@link ConfigLoader#loadEdge}, or directly in tests.
 *
 * @param listen where clients connect
 * @param admin the admin listener ({@code /healthz}, {@code /readyz}); loopback by default
 */
public record EdgeConfig(HostPort listen, HostPort admin, OriginConfig origin, CacheConfig cache, ServerConfig server) {
  public static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 8080);
  public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 9090);

  public EdgeConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(server, "server");
  }

  public EdgeConfig withListen(HostPort l) {
    return new EdgeConfig(l, admin, origin, cache, server);
  }

  public EdgeConfig withAdmin(HostPort a) {
    return new EdgeConfig(listen, a, origin, cache, server);
  }

  public EdgeConfig withCache(CacheConfig c) {
    return new EdgeConfig(listen, admin, origin, c, server);
  }

  public EdgeConfig withOrigin(OriginConfig o) {
    return new EdgeConfig(listen, admin, o, cache, server);
  }
}
