package dev.cachalot.edge.policy;

import java.util.List;

/** The {@code Age} field (RFC 9111 §5.1): delta-seconds, first valid line wins, invalid lines ignored. */
public final class AgeField {
  private AgeField() {}

  /** Seconds, 0 when absent or invalid; capped at 2^31. */
  public static long parse(List<String> lines) {
    if (lines.isEmpty()) {
      return 0;
    }
    // A list ("Age: 1, 2") or repeated lines: only the first member counts.
    String first = lines.get(0);
    int comma = first.indexOf(',');
    String v = (comma >= 0 ? first.substring(0, comma) : first).trim();
    long parsed = CacheControl.parseDelta(v);
    return parsed < 0 ? 0 : parsed;
  }
}
