package dev.cachalot.edge.policy;

import dev.cachalot.origin.HttpDates;
import dev.cachalot.origin.HttpFields;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * May a response be stored by a shared cache (RFC 9111 §3), and how fresh is it (§4.2)? Targeted fields
 * ({@code CDN-Cache-Control}, then {@code Surrogate-Control}) replace {@code Cache-Control} and {@code Expires}
 * for this cache when present and valid (RFC 9213).
 */
public final class StoragePolicy {
  /** Statuses defined as heuristically cacheable (RFC 9110 §15.1). */
  private static final Set<Integer> HEURISTIC = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

  private final long heuristicMaxMillis;
  private final Set<String> setCookieHosts;

  public StoragePolicy(long heuristicMaxMillis, Set<String> setCookieHosts) {
    this.heuristicMaxMillis = heuristicMaxMillis;
    this.setCookieHosts = setCookieHosts;
  }

  /** The outcome: {@code reason} names why not, for {@code Cache-Status} and logs. */
  public record Decision(boolean storable, String reason, @Nullable Freshness freshness, HttpFields headers) {}

  /** What the request contributes to the decision. */
  public record RequestFacts(String host, boolean hasAuthorization, CacheControl cacheControl) {}

  public Decision evaluate(int status, HttpFields headers, RequestFacts request, long requestTime, long responseTime) {
    if (status < 200 || status == 206 || status == 304 || status > 599) {
      return no("status", headers);
    }
    Directives d = directives(headers);
    CacheControl cc = d.cc;
    if (request.cacheControl().noStore()) {
      return no("request-no-store", headers);
    }
    if (cc.noStore() && !cc.mustUnderstand()) {
      return no("no-store", headers);
    }
    if (cc.isPrivate()) {
      return no("private", headers);
    }
    if (request.hasAuthorization() && !(cc.isPublic() || cc.sMaxAge() >= 0 || cc.mustRevalidate())) {
      return no("authorization", headers);
    }
    String vary = headers.joined("Vary");
    if (vary != null && vary.contains("*")) {
      return no("vary-star", headers);
    }
    if (headers.contains("Set-Cookie") && !setCookieHosts.contains(request.host().toLowerCase(Locale.ROOT))) {
      return no("set-cookie", headers);
    }
    boolean explicit = cc.maxAge() >= 0 || cc.sMaxAge() >= 0 || cc.invalidFreshness()
        || (!d.targeted && headers.contains("Expires"));
    boolean heuristicOk = HEURISTIC.contains(status) || cc.isPublic();
    if (!explicit && !heuristicOk) {
      return no("no-freshness", headers);
    }
    Freshness f = freshness(status, headers, d, requestTime, responseTime);
    if (!explicit && f.lifetimeMillis() == 0 && !headers.contains("ETag") && !headers.contains("Last-Modified")) {
      return no("no-freshness", headers); // stale on arrival and nothing to revalidate with
    }
    HttpFields stored = headers.withoutHopByHop();
    if (!cc.privateFields().isEmpty()) {
      stored = stored.without(cc.privateFields());
    }
    return new Decision(true, "stored", f, stored);
  }

  /** Freshness of a stored response whose headers were just updated (a 304, §4.3.4). */
  public Freshness refresh(int status, HttpFields mergedHeaders, long requestTime, long responseTime) {
    return freshness(status, mergedHeaders, directives(mergedHeaders), requestTime, responseTime);
  }

  private Freshness freshness(int status, HttpFields h, Directives d, long requestTime, long responseTime) {
    CacheControl cc = d.cc;
    long date = dateValue(h, responseTime);
    long ageValue = AgeField.parse(h.getAll("Age")) * 1000;
    long apparentAge = Math.max(0, responseTime - date);
    long correctedAge = ageValue + Math.max(0, responseTime - requestTime);
    long initialAge = Math.max(apparentAge, correctedAge);

    int flags = 0;
    long lifetime;
    if (cc.invalidFreshness()) {
      lifetime = 0;
    } else if (cc.sMaxAge() >= 0) {
      lifetime = cc.sMaxAge() * 1000;
      flags |= Freshness.SHARED_MAX_AGE;
    } else if (cc.maxAge() >= 0) {
      lifetime = cc.maxAge() * 1000;
    } else if (!d.targeted && h.contains("Expires")) {
      String expiresField = h.get("Expires");
      long expires = expiresField == null ? HttpDates.INVALID : HttpDates.parse(expiresField);
      lifetime = expires == HttpDates.INVALID ? 0 : Math.max(0, expires - date);
    } else {
      lifetime = heuristic(status, h, cc, date);
      flags |= Freshness.HEURISTIC;
    }
    if (cc.noCache()) {
      flags |= Freshness.NO_CACHE;
    }
    if (cc.mustRevalidate() || cc.proxyRevalidate()) {
      flags |= Freshness.NO_STALE;
    }
    long swr = cc.staleWhileRevalidate() < 0 ? -1 : cc.staleWhileRevalidate() * 1000;
    long sie = cc.staleIfError() < 0 ? -1 : cc.staleIfError() * 1000;
    return new Freshness(lifetime, initialAge, responseTime, swr, sie, flags);
  }

  private long heuristic(int status, HttpFields h, CacheControl cc, long date) {
    if (cc.noCache() || !(HEURISTIC.contains(status) || cc.isPublic())) {
      return 0;
    }
    String lm = h.get("Last-Modified");
    long modified = lm == null ? HttpDates.INVALID : HttpDates.parse(lm);
    if (modified == HttpDates.INVALID || modified > date) {
      return 0;
    }
    return Math.min(heuristicMaxMillis, (date - modified) / 10);
  }

  private static long dateValue(HttpFields h, long responseTime) {
    String date = h.get("Date");
    long parsed = date == null ? HttpDates.INVALID : HttpDates.parse(date);
    return parsed == HttpDates.INVALID ? responseTime : parsed;
  }

  /** The directives this cache obeys, and whether they came from a targeted field. */
  record Directives(CacheControl cc, boolean targeted) {}

  static Directives directives(HttpFields h) {
    String cdn = h.joined("CDN-Cache-Control");
    if (cdn != null) {
      CacheControl cc = CacheControl.parseTargeted(cdn);
      if (cc != null) {
        return new Directives(cc, true);
      }
    }
    String surrogate = h.joined("Surrogate-Control");
    if (surrogate != null && !surrogate.isBlank()) {
      // Edge Architecture: "max-age=60+30" allows 30 s of stale content when the origin fails.
      String normalised = surrogate.replaceAll("(?i)max-age\\s*=\\s*(\\d+)\\s*\\+\\s*(\\d+)", "max-age=$1, stale-if-error=$2");
      return new Directives(CacheControl.parse(normalised), true);
    }
    return new Directives(CacheControl.parse(h.joined("Cache-Control")), false);
  }

  private static Decision no(String reason, HttpFields headers) {
    return new Decision(false, reason, null, headers);
  }
}
