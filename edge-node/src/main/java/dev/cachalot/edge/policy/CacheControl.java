package dev.cachalot.edge.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parsed cache directives (RFC 9111 §5.2, RFC 5861), for requests and responses alike. Names are
 * case-insensitive; values may be tokens or quoted strings; unknown directives are ignored.
 *
 * <p>Delta-seconds are -1 when absent. A freshness directive that is malformed, negative, or repeated with a
 * different value sets {@link #invalidFreshness()}: the response is then treated as stale, never given a default.
 */
public final class CacheControl {
  public static final CacheControl EMPTY = new CacheControl();
  /** Delta-seconds larger than this are capped (RFC 9111 §1.2.2). */
  public static final long MAX_DELTA = 2_147_483_648L;
  /** Value of {@link #maxStale} for a bare {@code max-stale}: any staleness. */
  public static final long ANY = Long.MAX_VALUE;

  long maxAge = -1;
  long sMaxAge = -1;
  long maxStale = -1;
  long minFresh = -1;
  long staleWhileRevalidate = -1;
  long staleIfError = -1;
  boolean noStore;
  boolean noCache;
  boolean isPrivate;
  boolean isPublic;
  boolean mustRevalidate;
  boolean proxyRevalidate;
  boolean mustUnderstand;
  boolean onlyIfCached;
  boolean invalidFreshness;
  Set<String> privateFields = Set.of();

  private CacheControl() {}

  /** Parses one or more field lines joined with commas. A null value gives {@link #EMPTY}. */
  public static CacheControl parse(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return EMPTY;
    }
    CacheControl cc = new CacheControl();
    for (String[] d : directives(value)) {
      cc.apply(d[0], d[1]);
    }
    return cc;
  }

  /**
   * Parses a targeted field ({@code CDN-Cache-Control}, RFC 9213) as a structured-field dictionary. Returns null
   * when the field is not a valid dictionary, so the caller ignores it as a whole.
   */
  public static @Nullable CacheControl parseTargeted(String value) {
    List<String[]> members = StructuredDictionary.parse(value);
    if (members == null) {
      return null;
    }
    CacheControl cc = new CacheControl();
    for (String[] m : members) {
      cc.apply(m[0], m[1]);
    }
    return cc;
  }

  private void apply(String name, @Nullable String value) {
    switch (name) {
      case "max-age" -> maxAge = delta(maxAge, value);
      case "s-maxage" -> sMaxAge = delta(sMaxAge, value);
      case "min-fresh" -> minFresh = Math.max(0, lenient(value));
      case "max-stale" -> maxStale = value == null ? ANY : Math.max(0, lenient(value));
      case "stale-while-revalidate" -> staleWhileRevalidate = Math.max(0, lenient(value));
      case "stale-if-error" -> staleIfError = Math.max(0, lenient(value));
      case "no-store" -> noStore = true;
      case "no-cache" -> noCache = true;
      case "private" -> {
        if (value == null) {
          isPrivate = true;
        } else {
          Set<String> fields = new HashSet<>(privateFields);
          for (String f : value.split(",")) {
            if (!f.isBlank()) {
              fields.add(f.trim().toLowerCase(Locale.ROOT));
            }
          }
          privateFields = Set.copyOf(fields);
        }
      }
      case "public" -> isPublic = true;
      case "must-revalidate" -> mustRevalidate = true;
      case "proxy-revalidate" -> proxyRevalidate = true;
      case "must-understand" -> mustUnderstand = true;
      case "only-if-cached" -> onlyIfCached = true;
      default -> { } // unknown directives are ignored (§5.2.3)
    }
  }

  /** Freshness directives are strict: a bad or conflicting one makes the response stale. */
  private long delta(long previous, @Nullable String value) {
    long parsed = value == null ? -2 : parseDelta(value);
    if (parsed < 0 || (previous >= 0 && previous != parsed)) {
      invalidFreshness = true;
      return 0;
    }
    return parsed;
  }

  /** Other delta directives: a bad value disables the directive (-1). */
  private static long lenient(@Nullable String value) {
    return value == null ? -1 : parseDelta(value);
  }

  /** Delta-seconds: digits only, capped at 2^31; -2 when malformed. */
  static long parseDelta(String v) {
    if (v.isEmpty()) {
      return -2;
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -2;
      }
      if (n < MAX_DELTA) {
        n = n * 10 + (c - '0');
      }
    }
    return Math.min(n, MAX_DELTA);
  }

  /** Splits {@code a, b=1, c="x, y"} into name/value pairs; names lower-cased, quotes removed. */
  static List<String[]> directives(String value) {
    List<String[]> out = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (i < n) {
      while (i < n && (value.charAt(i) == ',' || value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
      int start = i;
      while (i < n && value.charAt(i) != '=' && value.charAt(i) != ',') {
        i++;
      }
      String name = value.substring(start, i).trim().toLowerCase(Locale.ROOT);
      String val = null;
      if (i < n && value.charAt(i) == '=') {
        i++;
        while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
          i++;
        }
        if (i < n && value.charAt(i) == '"') {
          StringBuilder sb = new StringBuilder();
          i++;
          while (i < n && value.charAt(i) != '"') {
            if (value.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            sb.append(value.charAt(i++));
          }
          i++; // closing quote
          val = sb.toString();
          while (i < n && value.charAt(i) != ',') {
            i++;
          }
        } else {
          int vs = i;
          while (i < n && value.charAt(i) != ',') {
            i++;
          }
          val = value.substring(vs, i).trim();
        }
      }
      if (!name.isEmpty()) {
        out.add(new String[] {name, val});
      }
    }
    return out;
  }

  public long maxAge() { return maxAge; }
  public long sMaxAge() { return sMaxAge; }
  public long maxStale() { return maxStale; }
  public long minFresh() { return minFresh; }
  public long staleWhileRevalidate() { return staleWhileRevalidate; }
  public long staleIfError() { return staleIfError; }
  public boolean noStore() { return noStore; }
  public boolean noCache() { return noCache; }
  public boolean isPrivate() { return isPrivate; }
  public boolean isPublic() { return isPublic; }
  public boolean mustRevalidate() { return mustRevalidate; }
  public boolean proxyRevalidate() { return proxyRevalidate; }
  public boolean mustUnderstand() { return mustUnderstand; }
  public boolean onlyIfCached() { return onlyIfCached; }
  public boolean invalidFreshness() { return invalidFreshness; }
  /** Field names from {@code private="a, b"}: a shared cache stores the response without them. */
  public Set<String> privateFields() { return privateFields; }
}
