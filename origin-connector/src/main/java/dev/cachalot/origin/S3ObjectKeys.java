package dev.cachalot.origin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Maps a request path to an object key under the configured prefix, and refuses any path that could name
 * something else: dot segments, encoded slashes, invalid percent-encoding or UTF-8, control characters. The path
 * is decoded exactly once, so a double-encoded {@code %252e} is the literal key text {@code %2e}, not a dot.
 */
final class S3ObjectKeys {
  private S3ObjectKeys() {}

  /** The outcome: a key, or why there is none. */
  record Key(@Nullable String key, String problem) {
    static Key of(String key) {
      return new Key(key, "");
    }

    static Key refused(String problem) {
      return new Key(null, problem);
    }
  }

  /**
   * @param prefix the key prefix, empty or ending in {@code /}
   * @param target the raw request target; the query is ignored (S3 sub-resources such as {@code ?acl} are never
   *     reachable)
   */
  static Key of(String prefix, String target) {
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    if (!rawPath.startsWith("/")) {
      return Key.refused("the path must start with '/'");
    }
    String lower = rawPath.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c")) {
      return Key.refused("encoded slashes are not allowed in object paths");
    }
    String path = decode(rawPath);
    if (path == null) {
      return Key.refused("invalid percent-encoding or UTF-8 in the path");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return Key.refused("control characters and backslashes are not allowed in object paths");
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return Key.refused("'.' and '..' segments are not allowed in object paths");
      }
    }
    String key = path.substring(1);
    if (key.isEmpty() || key.endsWith("/")) {
      return Key.refused("no object is named by a path ending in '/'");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length + prefix.length() > 1024) {
      return Key.refused("object keys are at most 1024 bytes");
    }
    return Key.of(prefix + key);
  }

  /**
   * Percent-decodes a path once into strict UTF-8; '+' stays '+' (paths are not forms). Null when malformed.
   * Shared with the {@code file:} origin.
   */
  static @Nullable String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int cp = raw.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
