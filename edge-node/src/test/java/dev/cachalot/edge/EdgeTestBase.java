package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.ResilienceConfig;
import dev.cachalot.config.ServerConfig;
import dev.cachalot.origin.HttpDates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real edge (Undertow on an ephemeral loopback port) in front of a scripted origin (mockwebserver3), a manual
 * clock, and a real OkHttp client. Subclasses script the origin and assert on what the client and origin saw.
 */
public abstract class EdgeTestBase {
  private static final String RAW_CACHE_CONTROL = "X-Test-Raw-Cache-Control";

  protected MockWebServer origin;
  protected EdgeNode edge;
  protected ManualClock clock;
  protected OkHttpClient client;

  @BeforeEach
  void startEdge() throws IOException {
    origin = new MockWebServer();
    origin.start();
    clock = new ManualClock();
    edge = EdgeNode.start(config(), clock, tiers());
    client = new OkHttpClient.Builder()
        .followRedirects(false)
        .retryOnConnectionFailure(false)
        .readTimeout(Duration.ofSeconds(20))
        .addNetworkInterceptor(chain -> {
          // OkHttp answers only-if-cached itself (504) before the network; carry Cache-Control past it.
          okhttp3.Request r = chain.request();
          String raw = r.header(RAW_CACHE_CONTROL);
          if (raw != null) {
            r = r.newBuilder().removeHeader(RAW_CACHE_CONTROL).header("Cache-Control", raw).build();
          }
          return chain.proceed(r);
        })
        .build();
  }

  @AfterEach
  void stopEdge() {
    if (edge != null) {
      edge.close();
    }
    origin.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** Override to wrap the edge's tiers. */
  protected java.util.function.UnaryOperator<dev.cachalot.edge.tier.CacheTier> tiers() {
    return java.util.function.UnaryOperator.identity();
  }

  /** Override to change the edge's configuration. */
  protected EdgeConfig config() {
    return baseConfig(cacheConfig());
  }

  protected CacheConfig cacheConfig() {
    return CacheConfig.defaults();
  }

  protected EdgeConfig baseConfig(CacheConfig cache) {
    OriginConfig o = OriginConfig.of(origin.url("/").toString())
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withResilience(scripted());
    // slicing sends its own Range requests, which scripted origins do not expect: only SlicingIT turns it on
    return new EdgeConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), o,
        cache.withSlicing(0, cache.sliceThreshold()),
        new ServerConfig(2, 1L << 20, "cachalot"));
  }

  /** The base configuration, a memory tier of {@code memory} bytes (objects to {@code maxObject}), {@code mapped}. */
  protected EdgeConfig withMappedTier(long memory, long maxObject, MappedTierConfig mapped) {
    CacheConfig d = CacheConfig.defaults();
    return baseConfig(new CacheConfig(memory, maxObject, d.heuristicMaxTtl(), d.staleIfErrorGrace(),
        d.hitForMissTtl(), d.coalesceTimeout(), d.setCookieHosts())).withMapped(mapped);
  }

  /** No retries and no breaker: each test scripts the origin's answers one by one. */
  protected static ResilienceConfig scripted() {
    return ResilienceConfig.defaults().withRetries(1, 0).withBreaker(0, Duration.ofSeconds(1));
  }

  protected String url(String path) {
    return "http://127.0.0.1:" + edge.address().getPort() + path;
  }

  /** A response from the origin: status, body, then header name/value pairs. */
  protected void enqueue(int code, String body, String... headers) {
    MockResponse.Builder b = new MockResponse.Builder().code(code).body(body);
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    origin.enqueue(b.build());
  }

  /** A plain 200 with max-age. */
  protected void enqueueFresh(String body, int maxAge, String... moreHeaders) {
    String[] h = new String[moreHeaders.length + 2];
    h[0] = "Cache-Control";
    h[1] = "max-age=" + maxAge;
    System.arraycopy(moreHeaders, 0, h, 2, moreHeaders.length);
    enqueue(200, body, h);
  }

  /** Sends a request and reads the whole response (so the connection can be reused). */
  protected Result send(String method, String path, String... headers) throws IOException {
    return sendBody(method, path, null, headers);
  }

  protected Result sendBody(String method, String path, String body, String... headers) throws IOException {
    Request.Builder b = new Request.Builder().url(url(path));
    for (int i = 0; i < headers.length; i += 2) {
      String name = headers[i].equalsIgnoreCase("Cache-Control") ? RAW_CACHE_CONTROL : headers[i];
      b.addHeader(name, headers[i + 1]);
    }
    RequestBody rb = body == null ? null : RequestBody.create(body.getBytes(), null);
    if (rb == null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
      rb = RequestBody.create(new byte[0], null);
    }
    b.method(method, rb);
    try (Response r = client.newCall(b.build()).execute()) {
      return new Result(r.code(), r.headers(), r.body().string());
    }
  }

  protected Result get(String path, String... headers) throws IOException {
    return send("GET", path, headers);
  }

  /** The next request the origin received, failing if none arrives soon. */
  protected RecordedRequest takeOriginRequest() throws InterruptedException {
    RecordedRequest r = origin.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("expected a request at the origin").isNotNull();
    return r;
  }

  protected int originRequests() {
    return origin.getRequestCount();
  }

  /** An HTTP date {@code offsetSeconds} from the test clock. */
  protected String date(long offsetSeconds) {
    return HttpDates.format(clock.getAsLong() + offsetSeconds * 1000);
  }

  /** What the client received. */
  public record Result(int code, Headers headers, String body) {
    public String header(String name) {
      return headers.get(name);
    }

    public String cacheStatus() {
      return headers.get("Cache-Status");
    }

    public boolean hit() {
      String cs = cacheStatus();
      return cs != null && cs.contains("; hit");
    }
  }

  /**
   * A client that asks for {@code path} with a 4 KiB receive window and reads only the response head: the edge is
   * left holding the unsent body until the test reads on from {@link Socket#getInputStream}.
   */
  protected Socket slowGet(String path, String host) throws IOException {
    Socket slow = new Socket();
    slow.setReceiveBufferSize(4096); // before connecting, so that the window stays small
    slow.setSoTimeout(20_000);
    slow.connect(new InetSocketAddress("127.0.0.1", edge.address().getPort()));
    slow.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return slow;
  }

  /** Reads a response head, up to and including the blank line. */
  protected static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int c = in.read();
      assertThat(c).as("end of the response head").isNotNegative();
      head.append((char) c);
    }
    return head.toString();
  }
}
