package dev.cachalot.purge.api;

/** A purge's id is its sequence number in the log: {@code p-42}. */
final class PurgeIds {
  private PurgeIds() {}

  static String of(long seq) {
    return "p-" + seq;
  }

  /** The sequence number, or -1 for an id that is not one of ours. */
  static long seq(String id) {
    if (!id.startsWith("p-") || id.length() > 22) {
      return -1;
    }
    try {
      return Long.parseLong(id.substring(2));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
