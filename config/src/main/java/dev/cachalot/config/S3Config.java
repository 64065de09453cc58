package dev.cachalot.config;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An S3-compatible bucket as an origin. Requests are signed with SigV4; object keys are {@code prefix} + the
 * request path (decoded once, without the leading slash).
 *
 * @param region signing region, e.g. {@code us-east-1}
 * @param bucket bucket name (3 to 63 characters)
 * @param prefix key prefix, empty or ending in {@code /}
 * @param virtualHosted {@code bucket.endpoint-host/key} addressing instead of {@code endpoint/bucket/key}
 * @param notFoundTtl how long a 404 from the bucket is cached (a 403 never is)
 */
public record S3Config(
    String region,
    String bucket,
    String prefix,
    boolean virtualHosted,
    @Nullable String accessKeyId,
    @Nullable String secretAccessKey,
    @Nullable String sessionToken,
    Duration notFoundTtl) {

  public static final Duration DEFAULT_NOT_FOUND_TTL = Duration.ofSeconds(10);

  public S3Config {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("bucket must be 3-63 lowercase letters, digits, '.' or '-' (was '"
          + bucket + "')");
    }
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      throw new IllegalArgumentException("prefix must be empty or end with '/' (was '" + prefix + "')");
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException("accessKeyId and secretAccessKey go together");
    }
  }

  /** Path-style, no prefix, the given credentials. */
  public static S3Config of(String region, String bucket, String accessKeyId, String secretAccessKey) {
    return new S3Config(region, bucket, "", false, accessKeyId, secretAccessKey, null, DEFAULT_NOT_FOUND_TTL);
  }

  public boolean anonymous() {
    return accessKeyId == null;
  }

  public S3Config withPrefix(String p) {
    return new S3Config(region, bucket, p, virtualHosted, accessKeyId, secretAccessKey, sessionToken, notFoundTtl);
  }

  public S3Config withSecret(String secret) {
    return new S3Config(region, bucket, prefix, virtualHosted, accessKeyId, secret, sessionToken, notFoundTtl);
  }

  /** Secrets never reach logs or the admin API. */
  @Override
  public String toString() {
    return "S3Config[region=" + region + ", bucket=" + bucket + ", prefix=" + prefix + ", virtualHosted="
        + virtualHosted + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
        + (secretAccessKey == null ? null : "<redacted>") + ", sessionToken="
        + (sessionToken == null ? null : "<redacted>") + ", notFoundTtl=" + notFoundTtl + "]";
  }
}
