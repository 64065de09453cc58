package dev.cachalot.edge.http;

import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpDates;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.jspecify.annotations.Nullable;

/** The client's preconditions evaluated against a stored 200 (RFC 9110 §13.2.2, in its order). */
final class Preconditions {
  private Preconditions() {}

  /** Whether the request carries any precondition (If-Range included). */
  static boolean present(HeaderMap in) {
    return in.contains(Headers.IF_MATCH) || in.contains(Headers.IF_NONE_MATCH)
        || in.contains(Headers.IF_MODIFIED_SINCE) || in.contains(Headers.IF_UNMODIFIED_SINCE)
        || in.contains(Headers.IF_RANGE);
  }

  /** 412, 304, or 0 to proceed. */
  static int evaluate(HeaderMap in, StoredResponse r) {
    String ifMatch = EdgeExchange.joined(in, Headers.IF_MATCH);
    if (ifMatch != null) {
      if (!matches(ifMatch, r.etag(), true)) {
        return 412;
      }
    } else {
      String ius = in.getFirst(Headers.IF_UNMODIFIED_SINCE);
      if (ius != null) {
        long since = HttpDates.parse(ius);
        if (since != HttpDates.INVALID && r.lastModifiedMillis() != HttpDates.INVALID && r.lastModifiedMillis() > since) {
          return 412;
        }
      }
    }
    String inm = EdgeExchange.joined(in, Headers.IF_NONE_MATCH);
    if (inm != null) {
      return matches(inm, r.etag(), false) ? 304 : 0;
    }
    String ims = in.getFirst(Headers.IF_MODIFIED_SINCE);
    if (ims != null) {
      long since = HttpDates.parse(ims);
      if (since != HttpDates.INVALID && r.lastModifiedMillis() != HttpDates.INVALID && r.lastModifiedMillis() <= since) {
        return 304;
      }
    }
    return 0;
  }

  /** If-Range: a strong entity-tag or the exact Last-Modified date; anything else means send the whole body. */
  static boolean ifRangeMatches(HeaderMap in, StoredResponse r) {
    String ifRange = in.getFirst(Headers.IF_RANGE);
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      String etag = r.etag();
      return etag != null && !etag.startsWith("W/") && v.equals(etag);
    }
    long date = HttpDates.parse(v);
    return date != HttpDates.INVALID && date == r.lastModifiedMillis();
  }

  /** Entity-tag list comparison; weak comparison ignores the W/ prefix (§8.8.3.2). */
  private static boolean matches(String list, @Nullable String etag, boolean strong) {
    if (list.trim().equals("*")) {
      return true;
    }
    if (etag == null || (strong && etag.startsWith("W/"))) {
      return false;
    }
    String mine = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String tag : list.split(",")) {
      String t = tag.trim();
      if (strong && t.startsWith("W/")) {
        continue;
      }
      String theirs = t.startsWith("W/") ? t.substring(2) : t;
      if (theirs.equals(mine)) {
        return true;
      }
    }
    return false;
  }
}
