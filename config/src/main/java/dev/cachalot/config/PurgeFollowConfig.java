package dev.cachalot.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an edge follows the purge log.
 *
 * @param service the purge service's base URL
 * @param edgeId this edge's name in the service's status answers
 * @param edgeToken sent to the service when it requires one
 * @param catchUpTimeout how long start-up waits to catch up with the log before serving
 * @param whenUnreachable what to do with objects stored before start-up while the log cannot be read
 */
public record PurgeFollowConfig(URI service, String edgeId, @Nullable String edgeToken, Duration catchUpTimeout,
    Unreachable whenUnreachable) {

  /** Objects stored before start-up, while the edge has not caught up with the log. */
  public enum Unreachable {
    /** Serve them only after the origin validates them (safe, the default). */
    REVALIDATE,
    /** Treat them as missing. */
    MISS,
    /** Serve them as they are (availability over purge correctness). */
    SERVE;

    public static Unreachable parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  public PurgeFollowConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(edgeId, "edgeId");
    Objects.requireNonNull(whenUnreachable, "whenUnreachable");
  }

  @Override
  public String toString() {
    return "PurgeFollowConfig[service=" + service + ", edgeId=" + edgeId + ", edgeToken="
        + (edgeToken == null ? null : "<redacted>") + ", catchUpTimeout=" + catchUpTimeout + ", whenUnreachable="
        + whenUnreachable + "]";
  }
}
