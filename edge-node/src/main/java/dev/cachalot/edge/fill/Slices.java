package dev.cachalot.edge.fill;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import java.util.Objects;

/**
 * How a sliced object is stored: a description under {@code slice(key, -1)} (status 200, the object's fields, its
 * total length in {@value #LENGTH_FIELD}, no body) and each slice under {@code slice(key, n)} (status 206, the
 * validators and length it belongs to, the bytes). A slice counts only if it is of the described version.
 */
public final class Slices {
  /** The whole object's length, on the description and on every slice. */
  public static final String LENGTH_FIELD = "X-Cachalot-Sliced-Length";

  private Slices() {}

  public static CacheKey descriptionKey(CacheKey object) {
    return CacheKeyFactory.slice(object, -1);
  }

  public static CacheKey sliceKey(CacheKey object, long index) {
    return CacheKeyFactory.slice(object, index);
  }

  /**
   * The description of a {@code total}-byte object from the fields it is stored with, as of {@code askedAt} (when
   * the origin was asked; see {@link StoredResponse#storedAtMillis}).
   */
  public static StoredResponse description(HttpFields stored, long total, dev.cachalot.edge.policy.Freshness freshness,
      long askedAt) {
    HttpFields h = stored.toBuilder().remove("Content-Length").remove("Content-Range")
        .set(LENGTH_FIELD, Long.toString(total)).build();
    return new StoredResponse(200, h, new byte[0], freshness, Variance.NONE, askedAt);
  }

  /** A slice entry for {@code body}, tied to the description's version. */
  public static StoredResponse slice(StoredResponse description, byte[] body) {
    return new StoredResponse(206, versionFields(description), body, description.freshness(), Variance.NONE,
        description.storedAtMillis());
  }

  /** The description with no body, as followers of a slice fetch see it before the bytes. */
  public static StoredResponse head(StoredResponse description) {
    return new StoredResponse(206, versionFields(description), new byte[0], description.freshness(), Variance.NONE,
        description.storedAtMillis());
  }

  private static HttpFields versionFields(StoredResponse description) {
    HttpFields.Builder h = HttpFields.builder().add(LENGTH_FIELD, Long.toString(totalOf(description)));
    String etag = description.etag();
    if (etag != null) {
      h.add("ETag", etag);
    }
    String lm = description.headers().get("Last-Modified");
    if (lm != null) {
      h.add("Last-Modified", lm);
    }
    return h.build();
  }

  /** The whole object's length, or -1. */
  public static long totalOf(StoredResponse r) {
    String v = r.headers().get(LENGTH_FIELD);
    return v == null ? -1 : Long.parseLong(v);
  }

  /** Whether a response carries a validator strong enough to tie slices to one version. */
  public static boolean versioned(HttpFields h) {
    String etag = h.get("ETag");
    return etag != null ? !etag.startsWith("W/") : h.get("Last-Modified") != null;
  }

  /** Same length and the same strong ETag (or, without one, the same Last-Modified). */
  public static boolean sameVersion(StoredResponse a, StoredResponse b) {
    if (totalOf(a) != totalOf(b)) {
      return false;
    }
    if (a.etag() != null || b.etag() != null) {
      return Objects.equals(a.etag(), b.etag()) && !Objects.requireNonNull(a.etag()).startsWith("W/");
    }
    return Objects.equals(a.headers().get("Last-Modified"), b.headers().get("Last-Modified"))
        && a.headers().get("Last-Modified") != null;
  }
}
