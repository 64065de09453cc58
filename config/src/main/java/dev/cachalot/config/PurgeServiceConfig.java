package dev.cachalot.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The purge service.
 *
 * @param listen its one listener: publisher API, edge API, health and metrics
 * @param dataDir where the embedded log lives
 * @param tokens the publishers' tokens
 * @param edgeToken when set, edges must send it to read the log and report progress
 * @param natsUrl the NATS server whose JetStream holds the log, or null for the embedded log in {@code dataDir}
 * @param natsStream the JetStream stream (subject: the stream name in lower case, dots for underscores)
 */
public record PurgeServiceConfig(HostPort listen, Path dataDir, List<PurgeTokenConfig> tokens,
    @Nullable String edgeToken, @Nullable String natsUrl, String natsStream) {
  public static final String DEFAULT_STREAM = "CACHALOT_PURGES";

  /** The embedded log. */
  public PurgeServiceConfig(HostPort listen, Path dataDir, List<PurgeTokenConfig> tokens, @Nullable String edgeToken) {
    this(listen, dataDir, tokens, edgeToken, null, DEFAULT_STREAM);
  }

  /** The subject a stream's purges are published on. */
  public static String subjectOf(String stream) {
    return stream.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
  }

  public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 8091);

  public PurgeServiceConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDir, "dataDir");
    tokens = List.copyOf(tokens);
    Objects.requireNonNull(natsStream, "natsStream");
  }

  @Override
  public String toString() {
    return "PurgeServiceConfig[listen=" + listen + ", dataDir=" + dataDir + ", tokens=" + tokens + ", edgeToken="
        + (edgeToken == null ? null : "<redacted>") + ", natsUrl=" + natsUrl + ", natsStream=" + natsStream + "]";
  }
}
