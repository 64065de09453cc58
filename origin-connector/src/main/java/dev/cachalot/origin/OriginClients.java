package dev.cachalot.origin;

import dev.cachalot.config.OriginConfig;

/** Builds the client for an origin's URL scheme. */
public final class OriginClients {
  private OriginClients() {}

  public static OriginClient create(OriginConfig config) {
    return config.isFile() ? new FileOriginClient(config) : new OkHttpOriginClient(config);
  }
}
