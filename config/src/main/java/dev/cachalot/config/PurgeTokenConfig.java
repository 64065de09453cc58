package dev.cachalot.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A publisher's token for the purge API.
 *
 * @param name shown in logs and purge records (the token itself never is)
 * @param token the bearer secret (16+ characters)
 * @param hosts the hosts it may purge: {@code host}, {@code *.domain} or {@code *}
 * @param rights the kinds of purge it may issue: {@code url}, {@code prefix}, {@code tag}, and {@code all} (a
 *     separate right: purging a whole host)
 * @param ratePerSecond sustained purges a second; past it (and the burst), 429 with Retry-After
 * @param burst purges it may send at once
 */
public record PurgeTokenConfig(String name, String token, List<String> hosts, Set<String> rights,
    double ratePerSecond, int burst) {
  public static final Set<String> RIGHTS = Set.of("url", "prefix", "tag", "all");

  public PurgeTokenConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(token, "token");
    hosts = List.copyOf(hosts);
    rights = Set.copyOf(rights);
    if (!RIGHTS.containsAll(rights)) {
      throw new IllegalArgumentException("rights are " + RIGHTS);
    }
  }

  /** Secrets never reach logs or the admin API. */
  @Override
  public String toString() {
    return "PurgeTokenConfig[name=" + name + ", token=<redacted>, hosts=" + hosts + ", rights=" + rights
        + ", ratePerSecond=" + ratePerSecond + ", burst=" + burst + "]";
  }
}
