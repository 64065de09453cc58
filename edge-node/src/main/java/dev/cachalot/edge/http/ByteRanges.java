package dev.cachalot.edge.http;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code Range: bytes=...} (RFC 9110 §14.1.2), resolved against a representation's length. */
final class ByteRanges {
  /** More ranges than this in one request are answered with the whole representation (a DoS guard). */
  static final int MAX_RANGES = 64;

  /** One satisfiable range, inclusive. */
  record Range(long first, long last) {
    long length() {
      return last - first + 1;
    }
  }

  private ByteRanges() {}

  /**
   * Null when the field should be ignored (absent, not bytes, malformed, too many ranges): send 200. An empty list
   * when no range is satisfiable: send 416.
   */
  static @Nullable List<Range> parse(@Nullable String field, long length) {
    if (field == null) {
      return null;
    }
    String f = field.trim();
    if (f.length() < 6 || !f.regionMatches(true, 0, "bytes=", 0, 6)) {
      return null;
    }
    String[] specs = f.substring(6).split(",", -1);
    if (specs.length > MAX_RANGES) {
      return null;
    }
    List<Range> out = new ArrayList<>(specs.length);
    for (String raw : specs) {
      String spec = raw.trim();
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return null;
      }
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (!digits(a) || !digits(b) || (a.isEmpty() && b.isEmpty())) {
        return null;
      }
      if (a.isEmpty()) { // suffix: the last N bytes
        long n = parseCapped(b);
        if (n > 0 && length > 0) {
          out.add(new Range(Math.max(0, length - n), length - 1));
        }
        continue;
      }
      long first = parseCapped(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : parseCapped(b);
      if (last < first) {
        return null; // invalid range-spec: ignore the whole field
      }
      if (first < length) {
        out.add(new Range(first, Math.min(last, length - 1)));
      }
    }
    return out;
  }

  /** The delimiter and fields that open one part of a {@code multipart/byteranges} body (RFC 9110 §14.6). */
  static byte[] partHead(String boundary, @Nullable String contentType, Range range, long length) {
    StringBuilder part = new StringBuilder("\r\n--").append(boundary).append("\r\n");
    if (contentType != null) {
      part.append("Content-Type: ").append(contentType).append("\r\n");
    }
    part.append("Content-Range: bytes ").append(range.first()).append('-').append(range.last()).append('/')
        .append(length).append("\r\n\r\n");
    return part.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** The close delimiter of a {@code multipart/byteranges} body. */
  static byte[] closing(String boundary) {
    return ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static long parseCapped(String s) {
    return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
  }
}
