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
 */
public record PurgeServiceConfig(HostPort listen, Path dataDir, List<PurgeTokenConfig> tokens,
    @Nullable String edgeToken) {
  public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 8091);

  public PurgeServiceConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDir, "dataDir");
    tokens = List.copyOf(tokens);
  }

  @Override
  public String toString() {
    return "PurgeServiceConfig[listen=" + listen + ", dataDir=" + dataDir + ", tokens=" + tokens + ", edgeToken="
        + (edgeToken == null ? null : "<redacted>") + "]";
  }
}
