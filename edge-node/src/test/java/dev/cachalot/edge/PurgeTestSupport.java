package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.HostPort;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.PurgeFollowConfig;
import dev.cachalot.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An origin whose objects have versions (bump one to change its ETag), tagged by their first path segment
 * ({@code /album7/a.jpg} carries {@code Surrogate-Key: album7}), answering conditionals with 304.
 */
final class PurgeTestSupport {
  static final String HOST = "img.example.com";
  static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20)).build();

  final MockWebServer origin = new MockWebServer();
  final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> conditionals = new ConcurrentHashMap<>();
  /** Per path: counted down when the origin has chosen its answer, then awaited before it sends it. */
  final Map<String, java.util.concurrent.CountDownLatch[]> held = new ConcurrentHashMap<>();

  PurgeTestSupport() throws IOException {
    origin.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        String path = r.getTarget();
        int v = versions.computeIfAbsent(path, p -> new AtomicInteger(1)).get();
        String etag = "\"" + Integer.toHexString(path.hashCode()) + "-" + v + "\"";
        String tag = path.split("/")[1];
        if (etag.equals(r.getHeaders().get("If-None-Match"))) {
          conditionals.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          return new MockResponse.Builder().code(304).addHeader("ETag", etag)
              .addHeader("Cache-Control", "max-age=600").build();
        }
        fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        MockResponse answer = new MockResponse.Builder().code(200).body("v" + v + ":" + path).addHeader("ETag", etag)
            .addHeader("Cache-Control", "max-age=600").addHeader("Surrogate-Key", tag).build();
        java.util.concurrent.CountDownLatch[] hold = held.remove(path);
        if (hold != null) {
          hold[0].countDown();
          try {
            hold[1].await(15, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return answer;
      }
    });
    origin.start();
  }

  int fetches(String path) {
    return fetches.getOrDefault(path, new AtomicInteger()).get();
  }

  int conditionals(String path) {
    return conditionals.getOrDefault(path, new AtomicInteger()).get();
  }

  EdgeConfig edgeConfig(String service, String edgeId) {
    OriginConfig o = OriginConfig.of(origin.url("/").toString()).withResilience(EdgeTestBase.scripted());
    return new EdgeConfig(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0), o, CacheConfig.defaults(),
        new ServerConfig(2, 1L << 20, "cachalot"))
        .withPurge(new PurgeFollowConfig(URI.create(service), edgeId, PurgeServiceProcess.EDGE_TOKEN,
            Duration.ofSeconds(5), PurgeFollowConfig.Unreachable.REVALIDATE));
  }

  /** GET through an edge with the test host; returns the Cache-Status. */
  static String get(EdgeNode edge, String path) throws IOException {
    Request r = new Request.Builder().url("http://127.0.0.1:" + edge.address().getPort() + path)
        .header("Host", HOST).build();
    try (Response resp = HTTP.newCall(r).execute()) {
      assertThat(resp.code()).as(path).isEqualTo(200);
      assertThat(resp.body().string()).contains(path);
      return resp.header("Cache-Status");
    }
  }

  static boolean hit(EdgeNode edge, String path) throws IOException {
    return get(edge, path).contains("; hit");
  }

  /** POST /v1/purge; returns the sequence number. */
  static long purge(String service, String json) throws IOException {
    Request r = new Request.Builder().url(service + "/v1/purge")
        .header("Authorization", "Bearer " + PurgeServiceProcess.ADMIN_TOKEN)
        .post(RequestBody.create(json, MediaType.get("application/json"))).build();
    try (Response resp = HTTP.newCall(r).execute()) {
      String body = resp.body().string();
      assertThat(resp.code()).as(body).isEqualTo(202);
      return new ObjectMapper().readTree(body).path("seq").asLong();
    }
  }

  static void awaitApplied(long seq, EdgeNode... edges) {
    assertThat(Await.until(() -> {
      for (EdgeNode e : edges) {
        if (e.purgeFollower() == null || e.purgeFollower().applied() < seq) {
          return false;
        }
      }
      return true;
    }, Duration.ofSeconds(15))).as("purge %d applied on every edge", seq).isTrue();
  }
}
