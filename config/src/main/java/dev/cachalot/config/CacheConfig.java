package dev.cachalot.config;

import java.time.Duration;
import java.util.Set;

/**
 * How the edge caches.
 *
 * @param memorySize bytes the memory tier may hold (bodies and headers)
 * @param maxObjectSize larger responses are passed through without being stored
 * @param heuristicMaxTtl cap on heuristic freshness (10% of the time since Last-Modified)
 * @param staleIfErrorGrace how long past expiry a stale object may still be served when the origin fails,
 *     on top of any {@code stale-if-error}; never where {@code must-revalidate} or {@code no-cache} forbid it
 * @param hitForMissTtl how long a key whose response could not be shared skips miss coalescing
 * @param coalesceTimeout how long a request waits for another's origin fetch before fetching itself
 * @param setCookieHosts hosts whose responses with {@code Set-Cookie} may be stored (never by default)
 * @param sliceSize large objects asked for by range are cached as slices of this size (0: never)
 * @param sliceThreshold only objects larger than this are sliced; smaller ones are cached whole
 * @param sliceReadAhead slices asked for ahead of the one being sent
 */
public record CacheConfig(
    long memorySize,
    long maxObjectSize,
    Duration heuristicMaxTtl,
    Duration staleIfErrorGrace,
    Duration hitForMissTtl,
    Duration coalesceTimeout,
    Set<String> setCookieHosts,
    long sliceSize,
    long sliceThreshold,
    int sliceReadAhead) {

  public static final long DEFAULT_SLICE_SIZE = 2L << 20;
  public static final long DEFAULT_SLICE_THRESHOLD = 8L << 20;
  public static final int DEFAULT_SLICE_READ_AHEAD = 2;

  /** With the default slicing. */
  public CacheConfig(long memorySize, long maxObjectSize, Duration heuristicMaxTtl, Duration staleIfErrorGrace,
      Duration hitForMissTtl, Duration coalesceTimeout, Set<String> setCookieHosts) {
    this(memorySize, maxObjectSize, heuristicMaxTtl, staleIfErrorGrace, hitForMissTtl, coalesceTimeout,
        setCookieHosts, Math.min(DEFAULT_SLICE_SIZE, maxObjectSize), DEFAULT_SLICE_THRESHOLD,
        DEFAULT_SLICE_READ_AHEAD);
  }

  public CacheConfig withSlicing(long size, long threshold) {
    return new CacheConfig(memorySize, maxObjectSize, heuristicMaxTtl, staleIfErrorGrace, hitForMissTtl,
        coalesceTimeout, setCookieHosts, size, threshold, sliceReadAhead);
  }

  public static final long DEFAULT_MEMORY_SIZE = 256L << 20;
  public static final long DEFAULT_MAX_OBJECT_SIZE = 16L << 20;

  public CacheConfig {
    if (memorySize <= 0) {
      throw new IllegalArgumentException("memorySize must be > 0");
    }
    if (maxObjectSize <= 0 || maxObjectSize > memorySize) {
      throw new IllegalArgumentException("maxObjectSize must be > 0 and <= memorySize");
    }
    setCookieHosts = Set.copyOf(setCookieHosts);
    if (sliceSize < 0 || sliceSize > maxObjectSize || sliceSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sliceSize must be between 0 and maxObjectSize");
    }
    if (sliceReadAhead < 0 || sliceReadAhead > 64) {
      throw new IllegalArgumentException("sliceReadAhead must be between 0 and 64");
    }
  }

  public static CacheConfig defaults() {
    return new CacheConfig(DEFAULT_MEMORY_SIZE, DEFAULT_MAX_OBJECT_SIZE, Duration.ofDays(1), Duration.ofSeconds(10),
        Duration.ofMinutes(2), Duration.ofSeconds(30), Set.of());
  }
}
