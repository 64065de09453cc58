package dev.cachalot.edge.metrics;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Access-log lines written straight as ASCII bytes: no StringBuilder, no charset encoder. On a one-core hit path
 * a line built with a StringBuilder and encoded by the logging framework cost more than counting the request, so
 * this writes each field's bytes once. Anything outside printable ASCII in client-supplied text is escaped as
 * {@code \xHH} (a quote and a backslash as {@code \"} and {@code \\}), as nginx does, so a line is always one
 * line of ASCII whatever a client sends.
 */
final class LineBuffer {
  private static final byte[] HEX = bytesOf("0123456789abcdef");
  private static final byte[] QUOTED_DASH = bytesOf("\"-\"");
  /** "00" to "99": numbers are written two digits per division. */
  private static final byte[] DIGIT_PAIRS = digitPairs();
  /** Longest a client-supplied field can become when every char is escaped as UTF-8 bytes. */
  private static final int MAX_EXPANSION = 12;

  private final int capacity;
  private byte[] bytes;
  private int length;
  /** How many times the buffer was emptied: bytes written before the last drain are gone. */
  private int drains;

  LineBuffer(int capacity) {
    this.capacity = capacity;
    this.bytes = new byte[capacity];
  }

  int length() {
    return length;
  }

  /** The bytes so far, no copy made, and empties the buffer. */
  LineChunk drain() {
    return drain(null);
  }

  /**
   * As {@link #drain()}, going on in {@code spare} (an array given back) when it has the usual size; one grown for a
   * huge line is dropped, so it is not kept going round.
   */
  LineChunk drain(byte @Nullable [] spare) {
    LineChunk chunk = new LineChunk(bytes, length);
    bytes = spare != null && spare.length >= capacity && spare.length <= 2 * capacity ? spare : new byte[capacity];
    length = 0;
    drains++;
    return chunk;
  }

  int drains() {
    return drains;
  }

  /** Appends a copy of {@code len} bytes written earlier at {@code from} (since the last drain). */
  LineBuffer repeat(int from, int len) {
    ensure(len);
    System.arraycopy(bytes, from, bytes, length, len);
    length += len;
    return this;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  LineBuffer ascii(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, length, b.length);
    length += b.length;
    return this;
  }

  LineBuffer ascii(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  /** Text known to be printable ASCII (our own labels and numbers). */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): a straight copy of Latin-1 chars
  LineBuffer ascii(String s) {
    ensure(s.length());
    s.getBytes(0, s.length(), bytes, length);
    length += s.length();
    return this;
  }

  LineBuffer number(long v) {
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        return ascii(Long.toString(v));
      }
      ascii('-');
      v = -v;
    }
    ensure(20);
    int digits = digits(v);
    int end = length + digits;
    int i = end;
    while (v >= 100) { // two digits per division
      int pair = (int) (v % 100) * 2;
      v /= 100;
      bytes[--i] = DIGIT_PAIRS[pair + 1];
      bytes[--i] = DIGIT_PAIRS[pair];
    }
    if (v >= 10) {
      bytes[--i] = DIGIT_PAIRS[(int) v * 2 + 1];
      bytes[--i] = DIGIT_PAIRS[(int) v * 2];
    } else {
      bytes[--i] = (byte) ('0' + v);
    }
    length = end;
    return this;
  }

  private static int digits(long v) {
    if (v < 10_000) { // statuses, small sizes and milliseconds: no loop
      return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4;
    }
    int digits = 5;
    for (long t = v / 100_000; t > 0; t /= 10) {
      digits++;
    }
    return digits;
  }

  /** Milliseconds with three decimals, or {@code -} for a negative time (nothing was timed). */
  LineBuffer millis(long nanos) {
    if (nanos < 0) {
      return ascii('-');
    }
    long micros = nanos / 1000;
    number(micros / 1000).ascii('.');
    int frac = (int) (micros % 1000);
    int pair = frac % 100 * 2;
    ensure(3);
    bytes[length++] = (byte) ('0' + frac / 100);
    bytes[length++] = DIGIT_PAIRS[pair];
    bytes[length++] = DIGIT_PAIRS[pair + 1];
    return this;
  }

  /** Client-supplied text, escaped. */
  LineBuffer escaped(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((char) (c - 0x20) >= 0x5f || c == '"' || c == '\\') { // outside 0x20..0x7e, or a quote or backslash
        return escapedSlow(s);
      }
    }
    return ascii(s); // printable ASCII: one bulk copy
  }

  private LineBuffer escapedSlow(String s) {
    ensure(s.length() * MAX_EXPANSION);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        bytes[length++] = '\\';
        bytes[length++] = (byte) c;
      } else if (c >= 0x20 && c < 0x7f) {
        bytes[length++] = (byte) c;
      } else if (c < 0x80) {
        hexEscape(c);
      } else {
        int cp = Character.isSurrogate(c) && i + 1 < s.length() ? s.codePointAt(i) : c;
        i += Character.charCount(cp) - 1;
        for (byte u : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          hexEscape(u & 0xff);
        }
      }
    }
    return this;
  }

  private void hexEscape(int b) {
    bytes[length++] = '\\';
    bytes[length++] = 'x';
    bytes[length++] = HEX[b >> 4];
    bytes[length++] = HEX[b & 0xf];
  }

  /** {@code "value"}, or {@code "-"} when absent. */
  LineBuffer quoted(@Nullable String v) {
    return v == null ? ascii(QUOTED_DASH) : ascii('"').escaped(v).ascii('"');
  }

  private static byte[] digitPairs() {
    byte[] b = new byte[200];
    for (int i = 0; i < 100; i++) {
      b[2 * i] = (byte) ('0' + i / 10);
      b[2 * i + 1] = (byte) ('0' + i % 10);
    }
    return b;
  }

  /** Text known to be ASCII, as bytes: for the pieces that lines are built from. */
  static byte[] bytesOf(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
