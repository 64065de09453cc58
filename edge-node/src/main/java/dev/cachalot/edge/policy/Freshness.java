package dev.cachalot.edge.policy;

/**
 * How long a stored response stays fresh and what may be done once it is stale. Computed once when the response
 * is stored or refreshed by a 304; ages are derived from {@code initialAgeMillis} and the receive time.
 *
 * @param lifetimeMillis freshness lifetime (RFC 9111 §4.2.1)
 * @param initialAgeMillis corrected_initial_age (§4.2.3): upstream Age plus time in transit
 * @param responseTimeMillis when the response head arrived here
 * @param staleWhileRevalidateMillis window to serve stale while revalidating, -1 for none
 * @param staleIfErrorMillis window to serve stale when the origin fails, -1 for none
 * @param flags {@link #NO_CACHE}, {@link #NO_STALE}, {@link #SHARED_MAX_AGE}, {@link #HEURISTIC}
 */
public record Freshness(long lifetimeMillis, long initialAgeMillis, long responseTimeMillis,
    long staleWhileRevalidateMillis, long staleIfErrorMillis, int flags) {

  /** Must be validated before every reuse ({@code no-cache}). */
  public static final int NO_CACHE = 1;
  /** Never served stale: {@code must-revalidate} or {@code proxy-revalidate}. */
  public static final int NO_STALE = 2;
  /** Lifetime came from {@code s-maxage}, which implies proxy-revalidate unless stale-* says otherwise. */
  public static final int SHARED_MAX_AGE = 4;
  /** Lifetime is a heuristic (10% of the time since Last-Modified). */
  public static final int HEURISTIC = 8;

  public long ageMillis(long now) {
    return initialAgeMillis + Math.max(0, now - responseTimeMillis);
  }

  /** Age in whole seconds, as sent in {@code Age}. */
  public long ageSeconds(long now) {
    return Math.min(ageMillis(now) / 1000, CacheControl.MAX_DELTA);
  }

  /** Remaining freshness; negative once stale. */
  public long ttlMillis(long now) {
    return lifetimeMillis - ageMillis(now);
  }

  public boolean isFresh(long now) {
    return ttlMillis(now) > 0;
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }
}
