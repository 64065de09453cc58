package dev.cachalot.edge.purge;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.tier.CacheTier;
import dev.cachalot.edge.tier.RemovalReason;
import dev.cachalot.edge.tier.StoredResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * What the applied purges say about stored objects. A purge leaves a rule with the time the edge applied it; a
 * stored object that a rule matches and that was stored before that time is purged: a miss for a hard purge, a
 * stale object that must be revalidated for a soft one. So a purge of a million objects costs one map entry when it
 * is applied, and a few map lookups per cache lookup afterwards. Exact URLs are also removed from the tiers at once.
 *
 * <p>Matching: URLs by cache key (http and https); prefixes by host (port ignored) and the start of path + query;
 * tags by host and the object's surrogate keys; {@code all} by host.
 */
public final class PurgeRules {
  /** What a lookup must do with a stored object. */
  public enum Verdict { NONE, REVALIDATE, MISS }

  private record Rule(long time, boolean soft) {
    Rule merge(Rule other) {
      // the newest hard purge wins over any soft one; among the same kind, the newest
      if (soft != other.soft) {
        Rule hard = soft ? other : this;
        Rule softer = soft ? this : other;
        return softer.time > hard.time ? new Rule(hard.time, false) : hard;
      }
      return time >= other.time ? this : other;
    }
  }

  // concurrent maps: lookups never lock; applying a purge is a few atomic merges
  private final Map<String, Rule> urls = new ConcurrentHashMap<>();
  private final Map<String, NavigableMap<String, Rule>> prefixes = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Rule>> tags = new ConcurrentHashMap<>();
  private final Map<String, Rule> all = new ConcurrentHashMap<>();
  private volatile boolean empty = true;
  private volatile long untrustedBefore = Long.MIN_VALUE;
  private volatile Verdict untrustedVerdict = Verdict.NONE;
  private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Applies a record at {@code appliedAt} (edge clock). With {@code cache} non-null, exact URLs are also removed at
   * once (hard purges); replaying the journal passes null.
   */
  public synchronized void apply(PurgeRecord r, long appliedAt, CacheTier cache) {
    applyRules(r, appliedAt);
    if (!r.soft()) {
      for (String u : r.urls()) {
        for (CacheKey k : keys(u)) {
          cache.invalidate(k, RemovalReason.INVALIDATED);
        }
      }
    }
  }

  /** As replaying the journal does: the rules only (for benchmarks). */
  public void applyForBenchmark(PurgeRecord r, long appliedAt) {
    applyRules(r, appliedAt);
  }

  synchronized void applyRules(PurgeRecord r, long appliedAt) {
    Rule rule = new Rule(appliedAt, r.soft());
    for (String u : r.urls()) {
      for (CacheKey k : keys(u)) {
        urls.merge(k.url(), rule, Rule::merge);
        count.incrementAndGet();
      }
    }
    for (String p : r.prefixes()) {
      URI uri = URI.create(p);
      String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      prefixes.computeIfAbsent(host(uri.getHost()), h -> new ConcurrentSkipListMap<>()).merge(path, rule,
          Rule::merge);
      count.incrementAndGet();
    }
    for (String h : r.hosts()) {
      String host = host(h);
      for (String t : r.tags()) {
        tags.computeIfAbsent(host, x -> new ConcurrentHashMap<>()).merge(t, rule, Rule::merge);
        count.incrementAndGet();
      }
      if (r.all()) {
        all.merge(host, rule, Rule::merge);
        count.incrementAndGet();
      }
    }
    empty = false;
  }

  /**
   * Until the edge has caught up with the log, objects stored before {@code before} get {@code verdict} (start-up
   * while the purge service cannot be reached). {@code Long.MIN_VALUE} lifts it.
   */
  public void untrustedBefore(long before, Verdict verdict) {
    untrustedVerdict = verdict;
    untrustedBefore = before;
  }

  public boolean trusting() {
    return untrustedBefore == Long.MIN_VALUE;
  }

  /** Rules held (one per URL, prefix, host and tag, or host for all). */
  public long size() {
    return count.get();
  }

  public Verdict verdict(CacheKey key, StoredResponse stored) {
    long storedAt = stored.storedAtMillis();
    Verdict v = storedAt < untrustedBefore ? untrustedVerdict : Verdict.NONE;
    if (empty || v == Verdict.MISS) {
      return v;
    }
    v = worse(v, urls.get(key.url()), storedAt);
    String host = hostOfKey(key.host());
    v = worse(v, all.get(host), storedAt);
    if (v == Verdict.MISS) {
      return v;
    }
    NavigableMap<String, Rule> byPrefix = prefixes.get(host);
    if (byPrefix != null) {
      v = prefixVerdict(v, byPrefix, pathOf(key.url()), storedAt);
    }
    Map<String, Rule> byTag = tags.get(host);
    if (byTag != null) {
      List<String> keys = stored.surrogateKeys();
      for (int i = 0; i < keys.size() && v != Verdict.MISS; i++) {
        v = worse(v, byTag.get(keys.get(i)), storedAt);
      }
    }
    return v;
  }

  /** Every stored prefix that is a prefix of {@code path}, found by walking down floor keys. */
  private static Verdict prefixVerdict(Verdict v, NavigableMap<String, Rule> byPrefix, String path, long storedAt) {
    String probe = path;
    Map.Entry<String, Rule> e = byPrefix.floorEntry(probe);
    while (e != null && v != Verdict.MISS) {
      String k = e.getKey();
      if (path.startsWith(k)) {
        v = worse(v, e.getValue(), storedAt);
        e = byPrefix.lowerEntry(k);
        continue;
      }
      int common = 0;
      int max = Math.min(k.length(), path.length());
      while (common < max && k.charAt(common) == path.charAt(common)) {
        common++;
      }
      // nothing between k and path can be a prefix of path unless it is a prefix of their common part
      e = byPrefix.floorEntry(path.substring(0, common));
    }
    return v;
  }

  private static Verdict worse(Verdict v, @Nullable Rule r, long storedAt) {
    if (r == null || storedAt >= r.time()) {
      return v;
    }
    return r.soft() ? (v == Verdict.MISS ? v : Verdict.REVALIDATE) : Verdict.MISS;
  }

  /** The cache keys a purge URL names: the http and https keys (the edge may be behind TLS termination). */
  static List<CacheKey> keys(String url) {
    URI u = URI.create(url);
    String target = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    String authority = u.getRawAuthority();
    CacheKey http = CacheKeyFactory.of("http", authority, target);
    CacheKey https = CacheKeyFactory.of("https", authority, target);
    return http == null || https == null ? List.of() : List.of(http, https);
  }

  private static String pathOf(String keyUrl) {
    int slash = keyUrl.indexOf('/', keyUrl.indexOf("://") + 3);
    return slash < 0 ? "/" : keyUrl.substring(slash);
  }

  /** A cache key's host is already lower case: only a port is cut (no copy without one). */
  private static String hostOfKey(String host) {
    int colon = host.lastIndexOf(':');
    return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
  }

  private static String host(String host) {
    return dev.cachalot.origin.OriginRouter.hostOnly(host);
  }

}
