package dev.cachalot.origin;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Checks a whole-object body against the MD5 that S3 gives as the ETag of objects uploaded in one part. The check
 * runs when the last byte arrives (at Content-Length, or at end of stream), so a body that is complete in length but
 * wrong in content fails like a truncated one: it is never stored, and a streaming client sees the connection cut.
 */
final class Md5CheckingStream extends FilterInputStream {
  private final MessageDigest md5;
  private final String expectedHex;
  private final long length;
  private long seen;
  private boolean checked;

  Md5CheckingStream(InputStream in, String expectedHex, long length) {
    super(in);
    this.expectedHex = expectedHex;
    this.length = length;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  /** The MD5 in an S3 ETag, or null when the ETag is not one (multipart uploads, SSE-KMS and SSE-C objects). */
  static @Nullable String md5Of(@Nullable String etag, @Nullable String encryption) {
    if (etag == null || (encryption != null && !encryption.equalsIgnoreCase("AES256"))) {
      return null;
    }
    String e = etag.startsWith("W/") ? "" : etag.replace("\"", "");
    return e.matches("[0-9a-fA-F]{32}") ? e.toLowerCase(java.util.Locale.ROOT) : null;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      md5.update((byte) b);
      seen++;
    }
    after(b < 0);
    return b;
  }

  @Override
  public int read(byte @Nullable [] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0 && b != null) {
      md5.update(b, off, n);
      seen += n;
    }
    after(n < 0);
    return n;
  }

  private void after(boolean end) throws IOException {
    if (checked || !(end || (length >= 0 && seen >= length))) {
      return;
    }
    checked = true;
    String actual = HexFormat.of().formatHex(md5.digest());
    if (!actual.equals(expectedHex)) {
      throw new OriginException(OriginException.Kind.PROTOCOL, false,
          "body does not match its ETag (MD5 " + actual + ", expected " + expectedHex + ")");
    }
  }
}
