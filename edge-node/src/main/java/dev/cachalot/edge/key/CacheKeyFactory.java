package dev.cachalot.edge.key;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The only code that turns a request into a {@link CacheKey}. Normalises what HTTP says is equivalent (host case,
 * default port, a trailing dot, percent-encoding case) and nothing else: the path and query stay byte for byte,
 * so two URLs an origin could answer differently never share a key.
 */
public final class CacheKeyFactory {
  private CacheKeyFactory() {}

  /**
   * Builds the key, or returns null when the Host is missing or malformed or the target holds whitespace or
   * control characters (the caller answers 400).
   *
   * @param scheme "http" or "https", as the client connected
   * @param hostHeader the Host field
   * @param target the raw request target: origin-form ({@code /a?b}) or absolute-form
   */
  public static @Nullable CacheKey of(String scheme, @Nullable String hostHeader, String target) {
    String host = hostHeader;
    String pathAndQuery = target;
    if (!target.startsWith("/")) {
      // absolute-form: http://host/path — its authority replaces Host (RFC 9112 §3.2.2)
      int schemeEnd = target.indexOf("://");
      if (schemeEnd < 0) {
        return null;
      }
      int pathStart = target.indexOf('/', schemeEnd + 3);
      int queryStart = target.indexOf('?', schemeEnd + 3);
      int end = pathStart < 0 ? (queryStart < 0 ? target.length() : queryStart)
          : (queryStart < 0 ? pathStart : Math.min(pathStart, queryStart));
      host = target.substring(schemeEnd + 3, end);
      String rest = target.substring(end);
      pathAndQuery = rest.startsWith("/") ? rest : "/" + rest;
    }
    String normalHost = normaliseHost(host, scheme);
    if (normalHost == null || hasWhitespaceOrControl(pathAndQuery)) {
      return null;
    }
    return new CacheKey(normalHost, scheme + "://" + normalHost + normalisePercent(pathAndQuery));
  }

  /**
   * The key of slice {@code index} of a sliced object, and ({@code index} -1) of its description. A space cannot
   * occur in a request's key, so these never collide with one.
   */
  public static CacheKey slice(CacheKey object, long index) {
    return new CacheKey(object.host(), object.url() + (index < 0 ? " slices" : " slice " + index));
  }

  /** A request target never holds these (RFC 9112 §3.2); slice keys rely on the space. */
  private static boolean hasWhitespaceOrControl(String target) {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /** Lower case, default port and trailing dot removed; null when not a valid host[:port]. */
  static @Nullable String normaliseHost(@Nullable String host, String scheme) {
    if (host == null) {
      return null;
    }
    if (alreadyNormal(host, scheme)) {
      return host;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.isEmpty() || h.length() > 255) {
      return null;
    }
    String port = null;
    int colon = h.lastIndexOf(':');
    if (colon >= 0 && h.indexOf(']') < colon) {
      port = h.substring(colon + 1);
      h = h.substring(0, colon);
      if (port.isEmpty() || port.length() > 5 || !digits(port) || Integer.parseInt(port) > 65535) {
        return null;
      }
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || h.startsWith(".") || h.endsWith(".") || h.contains("..")) {
      return null; // an empty label
    }
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
          || c == '[' || c == ']' || c == ':';
      if (!ok) {
        return null;
      }
    }
    boolean defaultPort = port == null || (scheme.equals("http") && port.equals("80"))
        || (scheme.equals("https") && port.equals("443"));
    return defaultPort ? h : h + ":" + Integer.parseInt(port);
  }

  /** Upper-cases the hex digits of percent-escapes ({@code %2f} and {@code %2F} are the same octet). */
  static String normalisePercent(String s) {
    int pct = s.indexOf('%');
    if (pct < 0) {
      return s;
    }
    char[] chars = s.toCharArray();
    for (int i = pct; i < chars.length - 2; i++) {
      if (chars[i] == '%' && isHex(chars[i + 1]) && isHex(chars[i + 2])) {
        chars[i + 1] = Character.toUpperCase(chars[i + 1]);
        chars[i + 2] = Character.toUpperCase(chars[i + 2]);
        i += 2;
      }
    }
    return new String(chars);
  }

  /** The common case, checked without allocating: lower-case name, non-default numeric port or none. */
  private static boolean alreadyNormal(String h, String scheme) {
    int n = h.length();
    if (n == 0 || n > 255 || h.charAt(n - 1) == '.' || h.charAt(0) == '[') {
      return false;
    }
    int colon = -1;
    for (int i = 0; i < n; i++) {
      char c = h.charAt(i);
      if (c == ':') {
        if (colon >= 0) {
          return false;
        }
        colon = i;
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
        return false;
      } else if (c == '.' && (i == 0 || h.charAt(i - 1) == '.')) {
        return false; // an empty label: the slow path refuses it
      } else if (colon >= 0 && (c < '0' || c > '9')) {
        return false;
      }
    }
    if (colon < 0) {
      return true;
    }
    int portLength = n - colon - 1;
    if (colon == 0 || h.charAt(colon - 1) == '.' || portLength == 0 || portLength > 5 || h.charAt(colon + 1) == '0') {
      return false;
    }
    int port = Integer.parseInt(h, colon + 1, n, 10);
    return port <= 65535 && !(scheme.equals("http") && port == 80) && !(scheme.equals("https") && port == 443);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
