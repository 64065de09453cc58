package dev.cachalot.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What operators see: metrics, the access log and the admin listener's protection.
 *
 * @param metrics export {@code /metrics} and count requests (off only to measure what metrics cost)
 * @param maxHostLabels hosts that get their own {@code host} label; the rest are counted as {@code other}, so a
 *     flood of made-up Host fields cannot blow up the number of series
 * @param accessLog {@code off}, {@code stdout}, or a file path
 * @param adminToken when set, {@code /metrics} and {@code /admin/*} need {@code Authorization: Bearer TOKEN}
 *     ({@code /healthz} and {@code /readyz} never do)
 */
public record OpsConfig(boolean metrics, int maxHostLabels, String accessLog, @Nullable String adminToken) {
  public OpsConfig {
    Objects.requireNonNull(accessLog, "accessLog");
    if (maxHostLabels < 0) {
      throw new IllegalArgumentException("maxHostLabels must be >= 0");
    }
  }

  public static OpsConfig defaults() {
    return new OpsConfig(true, 20, "off", null);
  }

  public boolean accessLogOn() {
    return !accessLog.equals("off");
  }

  public OpsConfig withAccessLog(String target) {
    return new OpsConfig(metrics, maxHostLabels, target, adminToken);
  }

  public OpsConfig withMetrics(boolean on) {
    return new OpsConfig(on, maxHostLabels, accessLog, adminToken);
  }

  public OpsConfig withAdminToken(@Nullable String token) {
    return new OpsConfig(metrics, maxHostLabels, accessLog, token);
  }

  /** The token never reaches logs or the admin API. */
  @Override
  public String toString() {
    return "OpsConfig[metrics=" + metrics + ", maxHostLabels=" + maxHostLabels + ", accessLog=" + accessLog
        + ", adminToken=" + (adminToken == null ? null : "<redacted>") + "]";
  }
}
