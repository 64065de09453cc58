package dev.cachalot.edge.policy;

/**
 * May a stored response answer this request (RFC 9111 §4.2.4, §5.2.1; RFC 5861)? Stale responses are never
 * served where {@code no-cache}, {@code must-revalidate} or {@code proxy-revalidate} forbid it; {@code s-maxage}
 * forbids it too unless the response carries an explicit stale-* directive.
 */
public final class ReusePolicy {
  private ReusePolicy() {}

  /** What to do with a stored response. */
  public enum Reuse {
    /** Serve it as is. */
    FRESH,
    /** Stale, but the request's {@code max-stale} accepts it. */
    STALE_ACCEPTED,
    /** Stale within {@code stale-while-revalidate}: serve it and revalidate in the background. */
    STALE_WHILE_REVALIDATE,
    /** Ask the origin first (a conditional request when there is a validator). */
    VALIDATE,
  }

  public static Reuse decide(Freshness f, CacheControl request, long now) {
    if (f.has(Freshness.NO_CACHE) || request.noCache()) {
      return Reuse.VALIDATE;
    }
    long ageSeconds = f.ageSeconds(now);
    if (request.maxAge() >= 0 && ageSeconds > request.maxAge()) {
      return Reuse.VALIDATE;
    }
    long ttl = f.ttlMillis(now);
    if (request.minFresh() >= 0 && ttl < request.minFresh() * 1000) {
      return Reuse.VALIDATE;
    }
    if (ttl > 0) {
      return Reuse.FRESH;
    }
    if (staleForbidden(f, false)) {
      return Reuse.VALIDATE;
    }
    long staleness = -ttl;
    if (request.maxStale() >= 0 && (request.maxStale() == CacheControl.ANY || staleness <= request.maxStale() * 1000)) {
      return Reuse.STALE_ACCEPTED;
    }
    if (f.staleWhileRevalidateMillis() >= 0 && staleness <= f.staleWhileRevalidateMillis()) {
      return Reuse.STALE_WHILE_REVALIDATE;
    }
    return Reuse.VALIDATE;
  }

  /**
   * May this response be served because the origin failed or timed out? Within the larger of the response's
   * and the request's {@code stale-if-error}, or the configured grace.
   */
  public static boolean staleOnError(Freshness f, CacheControl request, long now, long graceMillis) {
    boolean explicit = f.staleIfErrorMillis() >= 0 || request.staleIfError() >= 0;
    if (f.has(Freshness.NO_CACHE) || staleForbidden(f, explicit)) {
      return false;
    }
    long window = Math.max(graceMillis, Math.max(f.staleIfErrorMillis(), request.staleIfError() * 1000));
    return -f.ttlMillis(now) <= window;
  }

  private static boolean staleForbidden(Freshness f, boolean explicitStaleDirective) {
    if (f.has(Freshness.NO_STALE)) {
      return true;
    }
    boolean explicit = explicitStaleDirective || f.staleWhileRevalidateMillis() >= 0;
    return f.has(Freshness.SHARED_MAX_AGE) && !explicit;
  }
}
