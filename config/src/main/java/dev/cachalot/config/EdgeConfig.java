package dev.cachalot.config;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything an edge node needs. Built by {@link ConfigLoader#loadEdge}, or directly in tests.
 *
 * @param listen where clients connect
 * @param admin the admin listener ({@code /healthz}, {@code /readyz}); loopback by default
 * @param origins the origins, each with the hosts routed to it; a request for any other host is refused
 * @param mapped the persisted tier behind the memory tier, or null for memory only
 * @param ops metrics, access log, admin token
 * @param purge the purge log this edge follows, or null for none
 */
public record EdgeConfig(HostPort listen, HostPort admin, List<OriginConfig> origins, CacheConfig cache,
    ServerConfig server, @Nullable MappedTierConfig mapped, OpsConfig ops, @Nullable PurgeFollowConfig purge) {
  public static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 8080);
  public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 9090);

  public EdgeConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(admin, "admin");
    origins = List.copyOf(origins);
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("at least one origin");
    }
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(ops, "ops");
  }

  /** One origin for every host, memory only. */
  public EdgeConfig(HostPort listen, HostPort admin, OriginConfig origin, CacheConfig cache, ServerConfig server) {
    this(listen, admin, List.of(origin), cache, server, null, OpsConfig.defaults(), null);
  }

  /** The first origin: the only one when a single origin serves every host. */
  public OriginConfig origin() {
    return origins.get(0);
  }

  public EdgeConfig withMapped(@Nullable MappedTierConfig m) {
    return new EdgeConfig(listen, admin, origins, cache, server, m, ops, purge);
  }

  /** Replaces every origin with {@code o}. */
  public EdgeConfig withOrigin(OriginConfig o) {
    return withOrigins(List.of(o));
  }

  public EdgeConfig withOrigins(List<OriginConfig> o) {
    return new EdgeConfig(listen, admin, o, cache, server, mapped, ops, purge);
  }

  public EdgeConfig withOps(OpsConfig o) {
    return new EdgeConfig(listen, admin, origins, cache, server, mapped, o, purge);
  }

  public EdgeConfig withPurge(@Nullable PurgeFollowConfig p) {
    return new EdgeConfig(listen, admin, origins, cache, server, mapped, ops, p);
  }
}
