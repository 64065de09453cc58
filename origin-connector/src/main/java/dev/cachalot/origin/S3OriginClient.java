package dev.cachalot.origin;

import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.S3Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible bucket as an origin: GET and HEAD of objects only, keys mapped safely under the prefix
 * ({@link S3ObjectKeys}), SigV4-signed, with only the fields S3 understands forwarded (range and conditionals). S3's
 * errors become plain client responses: 404 cached for {@code notFoundTtl}, 403 never cached, and errors that
 * mean the edge is misconfigured (bad credentials, wrong bucket or region) become 502. Whole bodies whose ETag is
 * an MD5 are checked against it, so a corrupted transfer is never stored.
 */
final class S3OriginClient implements OriginClient {
  private static final Logger LOG = LoggerFactory.getLogger(S3OriginClient.class);
  private static final List<String> FORWARDED = List.of("Range", "If-None-Match", "If-Modified-Since", "If-Match",
      "If-Unmodified-Since");
  /** S3 answers these with the edge's credentials at fault, not the client's request. */
  private static final Set<String> EDGE_FAULTS = Set.of("SignatureDoesNotMatch", "InvalidAccessKeyId",
      "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "RequestTimeTooSkewed",
      "AuthorizationHeaderMalformed", "NoSuchBucket", "PermanentRedirect", "InvalidBucketName");
  private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,64})</Code>");

  private final OkHttpOriginClient http;
  private final S3Config s3;
  private final HttpUrl endpoint;
  private final @Nullable SigV4Signer signer;
  private final Clock clock;
  private final String notFoundCacheControl;

  S3OriginClient(OriginConfig config, Clock clock) {
    this.s3 = java.util.Objects.requireNonNull(config.s3(), "s3");
    this.http = new OkHttpOriginClient(config);
    this.endpoint = HttpUrl.get(config.url().toString());
    this.clock = clock;
    this.signer = s3.anonymous() ? null : new SigV4Signer(java.util.Objects.requireNonNull(s3.accessKeyId()),
        java.util.Objects.requireNonNull(s3.secretAccessKey()), s3.sessionToken(), s3.region(), "s3", true);
    long ttl = s3.notFoundTtl().toSeconds();
    this.notFoundCacheControl = ttl > 0 ? "max-age=" + ttl : "no-store";
  }

  @Override
  public CompletableFuture<OriginResponse> fetch(OriginRequest request) {
    String method = request.method().toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return CompletableFuture.completedFuture(plain(405, "Method Not Allowed: this origin is read-only\n",
          "no-store", "Allow", "GET, HEAD"));
    }
    S3ObjectKeys.Key key = S3ObjectKeys.of(s3.prefix(), request.target());
    if (key.key() == null) {
      return CompletableFuture.completedFuture(plain(key.problem().startsWith("no object") ? 404 : 400,
          (key.problem().startsWith("no object") ? "Not Found: " : "Bad Request: ") + key.problem() + "\n",
          "no-store"));
    }
    Request signed = signedRequest(method, key.key(), request.headers());
    return http.send(signed, true).thenApply(response -> translate(response, method));
  }

  /** The signed request for an object key (package-private for tests). */
  Request signedRequest(String method, String key, HttpFields clientFields) {
    String host = s3.virtualHosted() ? s3.bucket() + "." + endpoint.host() : endpoint.host();
    String path = s3.virtualHosted() ? "/" + key : "/" + s3.bucket() + "/" + key;
    HttpUrl url = HttpUrl.get(endpoint.scheme() + "://" + host + ":" + endpoint.port()
        + SigV4Signer.encode(path, false));
    Request.Builder b = new Request.Builder().url(url).method(method, null)
        .tag(OkHttpOriginClient.NoAcceptEncoding.class, OkHttpOriginClient.NoAcceptEncoding.INSTANCE);
    boolean ifRange = clientFields.contains("If-Range");
    for (String name : FORWARDED) {
      String value = clientFields.joined(name);
      // S3 has no If-Range: without it a Range could return the wrong version's bytes, so ask for all of them.
      if (value != null && !(ifRange && name.equals("Range"))) {
        b.header(name, value);
      }
    }
    if (signer != null) {
      String hostHeader = url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port();
      Map<String, String> added = signer.sign(method, path, List.of(), Map.of("host", hostHeader),
          SigV4Signer.EMPTY_SHA256, clock.instant());
      added.forEach(b::header);
    }
    return b.build();
  }

  private OriginResponse translate(OriginResponse r, String method) {
    int status = r.status();
    if (status < 300 || status == 304 || status == 412 || status == 416) {
      String md5 = status == 200 && method.equals("GET")
          ? Md5CheckingStream.md5Of(r.headers().get("ETag"), r.headers().get("x-amz-server-side-encryption"))
          : null;
      InputStream body = md5 == null ? r.body() : new Md5CheckingStream(r.body(), md5, r.contentLength());
      return new OriginResponse(status, cleaned(r.headers()), r.contentLength(), body);
    }
    String code = errorCode(r, method);
    if (EDGE_FAULTS.contains(code) || (status >= 300 && status < 500 && status != 403 && status != 404)) {
      warnMisconfigured(status, code);
      return plain(502, "Bad Gateway: the origin refused the edge's request (" + (code.isEmpty() ? status : code)
          + ")\n", "no-store");
    }
    return switch (status) {
      case 404 -> plain(404, "Not Found\n", notFoundCacheControl);
      case 403 -> plain(403, "Forbidden\n", "no-store");
      default -> plain(status, "Origin error " + status + (code.isEmpty() ? "" : " (" + code + ")") + "\n",
          "no-store");
    };
  }

  /** The S3 error code from the XML body (HEAD has none); the body is small and is closed here. */
  private static String errorCode(OriginResponse r, String method) {
    try (r; InputStream in = r.body()) {
      if (method.equals("HEAD")) {
        return "";
      }
      byte[] head = in.readNBytes(16 * 1024);
      Matcher m = CODE.matcher(new String(head, StandardCharsets.UTF_8));
      return m.find() ? m.group(1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** S3's bookkeeping fields are dropped; {@code x-amz-meta-surrogate-key} becomes {@code Surrogate-Key}. */
  private static HttpFields cleaned(HttpFields in) {
    HttpFields.Builder b = HttpFields.builder();
    String surrogate = null;
    for (int i = 0; i < in.size(); i++) {
      String name = in.name(i);
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("x-amz-meta-surrogate-key")) {
        surrogate = in.value(i);
      }
      if (lower.startsWith("x-amz-") && !lower.startsWith("x-amz-meta-")) {
        continue;
      }
      b.add(name, in.value(i));
    }
    if (surrogate != null && !in.contains("Surrogate-Key")) {
      b.add("Surrogate-Key", surrogate);
    }
    return b.build();
  }

  private static OriginResponse plain(int status, String text, String cacheControl, String... extra) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    HttpFields.Builder h = HttpFields.builder()
        .add("Content-Type", "text/plain; charset=utf-8")
        .add("Cache-Control", cacheControl)
        .add("Content-Length", Integer.toString(body.length));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      h.add(extra[i], extra[i + 1]);
    }
    return new OriginResponse(status, h.build(), body.length, new ByteArrayInputStream(body));
  }

  private volatile long lastWarning;

  private void warnMisconfigured(int status, String code) {
    long now = System.nanoTime();
    if (now - lastWarning > 10_000_000_000L) {
      lastWarning = now;
      LOG.warn("EDGE-110 S3 bucket {} answered {} {}: check the origin's endpoint, region, bucket and credentials",
          s3.bucket(), status, code);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
