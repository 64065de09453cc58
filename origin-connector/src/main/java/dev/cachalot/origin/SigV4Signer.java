package dev.cachalot.origin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * AWS Signature Version 4 (header form). Written here rather than taken from the AWS SDK: the SDK's signer pulls
 * in its HTTP and core modules (several MB) for about 150 lines of HMAC; this one is checked against AWS's
 * published test suite and against S3Proxy, which verifies signatures.
 */
final class SigV4Signer {
  static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final String accessKeyId;
  private final String secretAccessKey;
  private final @Nullable String sessionToken;
  private final String region;
  private final String service;
  private final boolean s3;
  /** The derived key changes once a day; cache it (date → key). */
  private volatile Map.@Nullable Entry<String, byte[]> signingKey;

  /**
   * @param s3 S3's variant: adds {@code x-amz-content-sha256}; the caller encodes the path once (S3 never
   *     normalises keys)
   */
  SigV4Signer(String accessKeyId, String secretAccessKey, @Nullable String sessionToken, String region,
      String service, boolean s3) {
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.sessionToken = sessionToken;
    this.region = region;
    this.service = service;
    this.s3 = s3;
  }

  /**
   * Signs a request.
   *
   * @param method the HTTP method
   * @param path the decoded path ({@code /my key.jpg}); encoded here, once
   * @param query decoded query parameters, in any order
   * @param headers fields to sign, {@code host} included; names in any case
   * @param payloadSha256 hex SHA-256 of the body ({@link #EMPTY_SHA256} for none)
   * @return the fields to add to the request: {@code x-amz-date}, {@code Authorization} and, where they apply,
   *     {@code x-amz-content-sha256} and {@code x-amz-security-token}
   */
  Map<String, String> sign(String method, String path, List<Map.Entry<String, String>> query,
      Map<String, String> headers, String payloadSha256, Instant now) {
    String stamp = STAMP.format(now);
    String date = stamp.substring(0, 8);
    Map<String, String> added = new LinkedHashMap<>();
    added.put("x-amz-date", stamp);
    if (s3) {
      added.put("x-amz-content-sha256", payloadSha256);
    }
    if (sessionToken != null) {
      added.put("x-amz-security-token", sessionToken);
    }
    TreeMap<String, String> canonical = new TreeMap<>();
    headers.forEach((k, v) -> canonical.merge(k.toLowerCase(Locale.ROOT), trimAll(v), (a, b) -> a + "," + b));
    added.forEach((k, v) -> canonical.put(k, v));
    String signedHeaders = String.join(";", canonical.keySet());
    StringBuilder creq = new StringBuilder(256)
        .append(method).append('\n')
        .append(encode(path, false)).append('\n')
        .append(canonicalQuery(query)).append('\n');
    canonical.forEach((k, v) -> creq.append(k).append(':').append(v).append('\n'));
    creq.append('\n').append(signedHeaders).append('\n').append(payloadSha256);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + sha256Hex(creq.toString());
    String signature = HEX.formatHex(hmac(key(date), toSign));
    added.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    return added;
  }

  private byte[] key(String date) {
    Map.@Nullable Entry<String, byte[]> cached = signingKey;
    if (cached != null && cached.getKey().equals(date)) {
      return cached.getValue();
    }
    byte[] k = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    k = hmac(k, "aws4_request");
    signingKey = Map.entry(date, k);
    return k;
  }

  private static String canonicalQuery(List<Map.Entry<String, String>> query) {
    List<String[]> encoded = new ArrayList<>(query.size());
    for (Map.Entry<String, String> e : query) {
      encoded.add(new String[] {encode(e.getKey(), true), encode(e.getValue(), true)});
    }
    encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    StringBuilder sb = new StringBuilder();
    for (String[] p : encoded) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  /** RFC 3986 percent-encoding of UTF-8 bytes; everything but unreserved characters (and {@code /} in paths). */
  static String encode(String s, boolean encodeSlash) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~' || (c == '/' && !encodeSlash)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** Trims and collapses runs of spaces, as the canonical form requires. */
  private static String trimAll(String v) {
    return v.trim().replaceAll(" +", " ");
  }

  static String sha256Hex(String s) {
    return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
