package dev.cachalot.origin;

import dev.cachalot.config.OriginConfig;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP(S) origin through OkHttp. Calls are asynchronous ({@code enqueue}); OkHttp runs each in-flight call on
 * a thread of its dispatcher. Concurrency is capped by the bulkhead in {@link ResilientOriginClient}; the
 * dispatcher's own limit is only a backstop. The read timeout is the first-byte timeout until the response head
 * has arrived, then the idle timeout for the body.
 */
final class OkHttpOriginClient implements OriginClient {
  /** Fields OkHttp computes itself from the body and URL. */
  private static final Set<String> COMPUTED = Set.of("host", "content-length", "transfer-encoding");

  private final OriginConfig config;
  private final HttpUrl base;
  private final OkHttpClient idempotent;
  private final OkHttpClient unsafe;
  private final long idleMillis;

  OkHttpOriginClient(OriginConfig config) {
    this.config = config;
    this.base = HttpUrl.get(config.url().toString());
    this.idleMillis = config.idleTimeout().toMillis();
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "origin-fetch-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    Dispatcher dispatcher = new Dispatcher(executor);
    int backstop = 2 * config.resilience().maxConcurrent();
    dispatcher.setMaxRequests(backstop);
    dispatcher.setMaxRequestsPerHost(backstop);
    this.idempotent = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(Math.min(256, config.resilience().maxConcurrent()), 5, TimeUnit.MINUTES))
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.firstByteTimeout())
        .writeTimeout(config.idleTimeout())
        .followRedirects(false)
        .followSslRedirects(false)
        .addNetworkInterceptor(chain -> {
          // OkHttp adds "Accept-Encoding: gzip" when the client sent none; forward the request unchanged.
          Request r = chain.request();
          if (r.tag(NoAcceptEncoding.class) != null) {
            r = r.newBuilder().removeHeader("Accept-Encoding").build();
          }
          return chain.proceed(r);
        })
        .build();
    // A request that may have reached the origin is never repeated silently unless it is idempotent.
    this.unsafe = idempotent.newBuilder().retryOnConnectionFailure(false).build();
  }

  @Override
  public CompletableFuture<OriginResponse> fetch(OriginRequest request) {
    Request okRequest;
    try {
      okRequest = toOkHttp(request);
    } catch (IllegalArgumentException e) {
      CompletableFuture<OriginResponse> result = new CompletableFuture<>();
      result.completeExceptionally(new OriginException(OriginException.Kind.PROTOCOL, false,
          "cannot forward request: " + e.getMessage(), e));
      return result;
    }
    return send(okRequest, request.isIdempotent());
  }

  /** Sends a request built by the caller (the S3 client builds and signs its own). */
  CompletableFuture<OriginResponse> send(Request okRequest, boolean idempotentRequest) {
    CompletableFuture<OriginResponse> result = new CompletableFuture<>();
    OkHttpClient client = idempotentRequest ? idempotent : unsafe;
    Call call = client.newCall(okRequest);
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        result.completeExceptionally(OriginException.classify(e, true));
      }

      @Override
      public void onResponse(Call c, Response response) {
        ResponseBody body = response.body();
        Headers h = response.headers();
        HttpFields.Builder fields = HttpFields.builder();
        for (int i = 0; i < h.size(); i++) {
          fields.add(h.name(i), h.value(i));
        }
        long length = body.contentLength();
        // The head has arrived: from now on the read timeout bounds the pause between body reads.
        body.source().timeout().timeout(idleMillis, TimeUnit.MILLISECONDS);
        InputStream in = new ClassifyingInputStream(body.byteStream());
        if (!result.complete(new OriginResponse(response.code(), fields.build(), length, in))) {
          response.close();
        }
      }
    });
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        call.cancel();
      }
    });
    return result;
  }

  /** The request with the client's fields, unchanged but for those OkHttp computes. */
  private Request toOkHttp(OriginRequest request) {
    HttpUrl url = HttpUrl.get(joinBase(request.target()));
    Headers.Builder headers = new Headers.Builder();
    request.headers().forEach((name, value) -> {
      if (!COMPUTED.contains(name.toLowerCase(Locale.ROOT))) {
        headers.addUnsafeNonAscii(name, value);
      }
    });
    if (config.preserveHost()) {
      headers.set("Host", request.host());
    }
    String method = request.method();
    RequestBody body = null;
    if (!method.equals("GET") && !method.equals("HEAD")) {
      byte[] content = request.body();
      if (content != null || requiresBody(method)) {
        body = RequestBody.create(content == null ? new byte[0] : content, null);
      }
    }
    Request.Builder b = new Request.Builder().url(url).headers(headers.build()).method(method, body);
    if (request.headers().get("Accept-Encoding") == null) {
      b.tag(NoAcceptEncoding.class, NoAcceptEncoding.INSTANCE);
    }
    return b.build();
  }

  /** OkHttp refuses these methods without a body (RFC 9110 gives them content). */
  private static boolean requiresBody(String method) {
    return switch (method) {
      case "POST", "PUT", "PATCH", "PROPPATCH", "REPORT" -> true;
      default -> false;
    };
  }

  private String joinBase(String target) {
    String basePath = base.encodedPath();
    String prefix = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    StringBuilder sb = new StringBuilder(base.scheme()).append("://");
    String host = base.host();
    sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
    sb.append(':').append(base.port()).append(prefix).append(target);
    return sb.toString();
  }

  @Override
  public void close() {
    idempotent.dispatcher().cancelAll();
    idempotent.dispatcher().executorService().shutdown();
    idempotent.connectionPool().evictAll();
  }

  /** Tags a request whose client sent no Accept-Encoding, so none is added. */
  enum NoAcceptEncoding { INSTANCE }

  /** Turns body read failures (reset, early close, timeout) into classified {@link OriginException}s. */
  private static final class ClassifyingInputStream extends FilterInputStream {
    ClassifyingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw OriginException.classify(e, true);
      }
    }

    @Override
    public int read(byte @Nullable [] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw OriginException.classify(e, true);
      }
    }
  }
}
