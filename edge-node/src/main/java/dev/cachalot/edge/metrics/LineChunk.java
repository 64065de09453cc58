package dev.cachalot.edge.metrics;

import java.nio.charset.StandardCharsets;

/**
 * Whole access-log lines as ASCII bytes, handed through SLF4J as they are: the appender writes the array and gives it
 * back for reuse. Turning each chunk into a String and encoding it again cost two copies and two fresh 64 KiB arrays
 * per chunk on a one-core hit path.
 */
final class LineChunk {
  final byte[] bytes;
  final int length;

  LineChunk(byte[] bytes, int length) {
    this.bytes = bytes;
    this.length = length;
  }

  /** The lines as text, for a logging backend other than the one {@link AccessLog} installs. */
  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }
}
