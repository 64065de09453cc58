package dev.cachalot.edge.tier;

import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.origin.HttpDates;
import dev.cachalot.origin.HttpFields;
import org.jspecify.annotations.Nullable;

/**
 * One stored response: status, end-to-end fields as received, the complete body, its freshness, and the request
 * values it was selected by. Immutable; a 304 produces a new instance ({@link #refreshed}).
 */
public final class StoredResponse {
  private final int status;
  private final HttpFields headers;
  private final byte[] body;
  private final int bodyOffset;
  private final int bodyLength;
  private final Freshness freshness;
  private final Variance variance;
  private final long storedAtMillis;
  private final @Nullable String etag;
  private final long lastModifiedMillis;
  private final java.util.List<String> surrogateKeys;
  /** Outgoing form computed by the response writer on first use; a benign race if computed twice. */
  private volatile @Nullable Object renderCache;

  public StoredResponse(int status, HttpFields headers, byte[] body, Freshness freshness, Variance variance,
      long storedAtMillis) {
    this(status, headers, body, 0, body.length, freshness, variance, storedAtMillis);
  }

  /** A body that is a slice of a larger array (a decoded mapped-tier value), so it is not copied again. */
  StoredResponse(int status, HttpFields headers, byte[] array, int offset, int length, Freshness freshness,
      Variance variance, long storedAtMillis) {
    if (offset < 0 || length < 0 || offset + length > array.length) {
      throw new IllegalArgumentException("body slice out of range");
    }
    this.status = status;
    this.headers = headers;
    this.body = array;
    this.bodyOffset = offset;
    this.bodyLength = length;
    this.freshness = freshness;
    this.variance = variance;
    this.storedAtMillis = storedAtMillis;
    this.etag = headers.get("ETag");
    String lm = headers.get("Last-Modified");
    this.lastModifiedMillis = lm == null ? HttpDates.INVALID : HttpDates.parse(lm);
    this.surrogateKeys = surrogateKeys(headers);
  }

  /** Tags for purging by key: {@code Surrogate-Key} (space-separated) and {@code Cache-Tag} (comma-separated). */
  private static java.util.List<String> surrogateKeys(HttpFields headers) {
    String sk = headers.joined("Surrogate-Key");
    String ct = headers.joined("Cache-Tag");
    if (sk == null && ct == null) {
      return java.util.List.of();
    }
    java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
    for (String source : new String[] {sk, ct}) {
      if (source != null) {
        for (String k : source.split("[\\s,]+")) {
          if (!k.isEmpty()) {
            keys.add(k);
          }
        }
      }
    }
    return java.util.List.copyOf(keys);
  }

  /**
   * The same body with headers and freshness updated by a 304 (RFC 9111 §4.3.4). The origin has just vouched for
   * it, so it counts as stored at {@code validatedAtMillis}: a soft purge issued before no longer applies.
   */
  public StoredResponse refreshed(HttpFields newHeaders, Freshness newFreshness, long validatedAtMillis) {
    return new StoredResponse(status, newHeaders, body, bodyOffset, bodyLength, newFreshness, variance,
        validatedAtMillis);
  }

  public int status() { return status; }
  public HttpFields headers() { return headers; }
  /** The body (a copy when it is a slice of a larger array); hot paths use {@link #bodyArray()} and friends. */
  public byte[] body() {
    return bodyOffset == 0 && bodyLength == body.length ? body : java.util.Arrays.copyOfRange(body, bodyOffset,
        bodyOffset + bodyLength);
  }

  /** The array holding the body, from {@link #bodyOffset()} for {@link #bodyLength()} bytes; never modify it. */
  public byte[] bodyArray() { return body; }
  public int bodyOffset() { return bodyOffset; }
  public int bodyLength() { return bodyLength; }
  public Freshness freshness() { return freshness; }
  public Variance variance() { return variance; }
  public long storedAtMillis() { return storedAtMillis; }
  public @Nullable String etag() { return etag; }
  /** Parsed Last-Modified, or {@link HttpDates#INVALID}. */
  public long lastModifiedMillis() { return lastModifiedMillis; }

  /** Surrogate keys (tags) this response can be purged by. */
  public java.util.List<String> surrogateKeys() {
    return surrogateKeys;
  }

  public @Nullable Object renderCache() {
    return renderCache;
  }

  public void renderCache(Object rendered) {
    this.renderCache = rendered;
  }

  /** Approximate heap bytes, for the memory tier's weigher. */
  public long weight() {
    long w = 160L + bodyLength;
    for (int i = 0; i < headers.size(); i++) {
      w += 48 + 2L * (headers.name(i).length() + headers.value(i).length());
    }
    return w;
  }
}
