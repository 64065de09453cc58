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
  /** Parsed on first use: most responses are served without it, and mapped reads decode a response per hit. */
  private volatile long lastModifiedMillis = UNPARSED;
  private static final long UNPARSED = Long.MIN_VALUE + 1;
  private final java.util.List<String> surrogateKeys;
  /** A body lent from a {@link BodyPool} (a mapped read to be served once), else null. */
  private final java.nio.@Nullable ByteBuffer lent;
  private final BodyPool.@Nullable Lease lease;
  /** Outgoing form computed by the response writer on first use; a benign race if computed twice. */
  private volatile @Nullable Object renderCache;

  public StoredResponse(int status, HttpFields headers, byte[] body, Freshness freshness, Variance variance,
      long storedAtMillis) {
    this(status, headers, body, 0, body.length, freshness, variance, storedAtMillis);
  }

  /** A body that is a slice of a larger array (a decoded mapped-tier value), so it is not copied again. */
  StoredResponse(int status, HttpFields headers, byte[] array, int offset, int length, Freshness freshness,
      Variance variance, long storedAtMillis) {
    this(status, headers, array, offset, length, null, null, freshness, variance, storedAtMillis);
  }

  /** A body in a lent buffer: {@code length} bytes of {@code lease}'s buffer from {@code offset}. */
  StoredResponse(int status, HttpFields headers, BodyPool.Lease lease, int offset, int length, Freshness freshness,
      Variance variance, long storedAtMillis) {
    this(status, headers, EMPTY, 0, length, lease.buffer().duplicate().position(offset).limit(offset + length)
        .slice().asReadOnlyBuffer(), lease, freshness, variance, storedAtMillis);
  }

  private static final byte[] EMPTY = new byte[0];

  @SuppressWarnings("TooManyParameters")
  private StoredResponse(int status, HttpFields headers, byte[] array, int offset, int length,
      java.nio.@Nullable ByteBuffer lent, BodyPool.@Nullable Lease lease, Freshness freshness, Variance variance,
      long storedAtMillis) {
    if (lent == null && (offset < 0 || length < 0 || offset + length > array.length)) {
      throw new IllegalArgumentException("body slice out of range");
    }
    this.lent = lent;
    this.lease = lease;
    this.status = status;
    this.headers = headers;
    this.body = array;
    this.bodyOffset = offset;
    this.bodyLength = length;
    this.freshness = freshness;
    this.variance = variance;
    this.storedAtMillis = storedAtMillis;
    this.etag = headers.get("ETag");
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
    StoredResponse r = onHeap();
    return new StoredResponse(status, newHeaders, r.body, r.bodyOffset, r.bodyLength, newFreshness, variance,
        validatedAtMillis);
  }

  /** True when the body is in a lent buffer, valid only until the response that read it is sent. */
  public boolean lent() {
    return lent != null;
  }

  /** This response with its body on the heap: itself, or a copy of a lent body (to keep beyond one response). */
  public StoredResponse onHeap() {
    if (lent == null) {
      return this;
    }
    byte[] copy = body();
    return new StoredResponse(status, headers, copy, 0, copy.length, freshness, variance, storedAtMillis);
  }

  /** The body as a read-only buffer of its own (position 0, limit the length): for writing to a socket. */
  public java.nio.ByteBuffer bodyBuffer() {
    return lent != null ? checkedLent().duplicate()
        : java.nio.ByteBuffer.wrap(body, bodyOffset, bodyLength).slice().asReadOnlyBuffer();
  }

  private java.nio.ByteBuffer checkedLent() {
    if (lease == null || lease.released() || lent == null) {
      throw new IllegalStateException("a lent body was used after its response was sent");
    }
    return lent;
  }

  public int status() { return status; }
  public HttpFields headers() { return headers; }
  /** The body (a copy when it is a slice of a larger array); hot paths use {@link #bodyArray()} and friends. */
  public byte[] body() {
    if (lent != null) {
      byte[] copy = new byte[bodyLength];
      checkedLent().duplicate().get(copy);
      return copy;
    }
    return bodyOffset == 0 && bodyLength == body.length ? body : java.util.Arrays.copyOfRange(body, bodyOffset,
        bodyOffset + bodyLength);
  }

  /**
   * The array holding the body, from {@link #bodyOffset()} for {@link #bodyLength()} bytes; never modify it. A lent
   * body has no array: use {@link #onHeap()} first, or {@link #bodyBuffer()}.
   */
  public byte[] bodyArray() {
    if (lent != null) {
      throw new IllegalStateException("a lent body has no array; copy it with onHeap() to keep it");
    }
    return body;
  }
  public int bodyOffset() { return bodyOffset; }
  public int bodyLength() { return bodyLength; }
  public Freshness freshness() { return freshness; }
  public Variance variance() { return variance; }
  /**
   * When the origin was asked for this copy (or last validated it): purges applied after that do not spare it, even
   * when its answer arrived after them.
   */
  public long storedAtMillis() { return storedAtMillis; }
  public @Nullable String etag() { return etag; }
  /** Parsed Last-Modified, or {@link HttpDates#INVALID}. */
  public long lastModifiedMillis() {
    long lm = lastModifiedMillis;
    if (lm == UNPARSED) { // a benign race: every thread parses the same value
      String field = headers.get("Last-Modified");
      lm = field == null ? HttpDates.INVALID : HttpDates.parse(field);
      lastModifiedMillis = lm;
    }
    return lm;
  }

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
