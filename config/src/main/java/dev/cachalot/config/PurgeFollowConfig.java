package dev.cachalot.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an edge follows the purge log.
 *
 * @param service the purge service's base URL: the log is read from it, unless {@code natsUrl} is set; progress is
 *     reported to it, and PURGE requests are sent to it (null: neither)
 * @param edgeId this edge's name in the service's status answers
 * @param edgeToken sent to the service when it requires one
 * @param catchUpTimeout how long start-up waits to catch up with the log before serving
 * @param whenUnreachable what to do with objects stored before start-up while the log cannot be read
 * @param natsUrl read the log straight from this NATS server's JetStream (the purge service is then not in the
 *     fan-out path), or null to read it from the service
 * @param natsStream the JetStream stream
 */
public record PurgeFollowConfig(@Nullable URI service, String edgeId, @Nullable String edgeToken,
    Duration catchUpTimeout, Unreachable whenUnreachable, @Nullable String natsUrl, String natsStream) {

  /** Following the service over HTTP. */
  public PurgeFollowConfig(URI service, String edgeId, @Nullable String edgeToken, Duration catchUpTimeout,
      Unreachable whenUnreachable) {
    this(service, edgeId, edgeToken, catchUpTimeout, whenUnreachable, null, PurgeServiceConfig.DEFAULT_STREAM);
  }

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
    if (service == null && natsUrl == null) {
      throw new IllegalArgumentException("a purge service or a NATS server to follow");
    }
    Objects.requireNonNull(edgeId, "edgeId");
    Objects.requireNonNull(whenUnreachable, "whenUnreachable");
  }

  @Override
  public String toString() {
    return "PurgeFollowConfig[service=" + service + ", edgeId=" + edgeId + ", edgeToken="
        + (edgeToken == null ? null : "<redacted>") + ", catchUpTimeout=" + catchUpTimeout + ", whenUnreachable="
        + whenUnreachable + ", natsUrl=" + natsUrl + ", natsStream=" + natsStream + "]";
  }
}
