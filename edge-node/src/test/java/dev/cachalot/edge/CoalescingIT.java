package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Miss coalescing: one origin fetch per key, and hit-for-miss for responses that cannot be shared. */
class CoalescingIT extends EdgeTestBase {
  private static final int CLIENTS = 100;

  private CacheKey key(String path) {
    return CacheKeyFactory.of("http", "127.0.0.1:" + edge.address().getPort(), path);
  }

  /** Fires {@code n} concurrent GETs and returns the responses (code, Cache-Status, body) when all are done. */
  private List<Result> concurrentGets(String path, int n) throws InterruptedException {
    client.dispatcher().setMaxRequests(n * 2);
    client.dispatcher().setMaxRequestsPerHost(n * 2);
    List<Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      client.newCall(new Request.Builder().url(url(path)).build()).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, java.io.IOException e) {
          results.add(new Result(-1, okhttp3.Headers.of(), e.toString()));
          done.countDown();
        }

        @Override
        public void onResponse(Call call, Response response) throws java.io.IOException {
          try (response) {
            results.add(new Result(response.code(), response.headers(), response.body().string()));
          }
          done.countDown();
        }
      });
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).as("all clients answered").isTrue();
    return results;
  }

  @Test
  void hundredConcurrentMissesMakeOneOriginRequest() throws Exception {
    String body = "photo-bytes-".repeat(1000);
    CacheKey key = key("/herd");
    origin.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        // the origin is slow: it answers only once every other client is waiting behind this fetch
        Await.until(() -> edge.context().coalescer().waiting(key) >= CLIENTS - 1, java.time.Duration.ofSeconds(20));
        return new MockResponse.Builder().body(body).addHeader("Cache-Control", "max-age=60").build();
      }
    });
    List<Result> results = concurrentGets("/herd", CLIENTS);
    assertThat(originRequests()).isEqualTo(1);
    assertThat(results).hasSize(CLIENTS).allSatisfy(r -> {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(body);
    });
    assertThat(results.stream().filter(r -> r.cacheStatus().contains("collapsed")).count()).isEqualTo(CLIENTS - 1);
    assertThat(edge.context().coalescer().stats().followers()).isEqualTo(CLIENTS - 1);
  }

  @Test
  void unshareableResponsesAreRememberedSoRequestsDoNotQueue() throws Exception {
    int n = 10;
    CountDownLatch allArrived = new CountDownLatch(n);
    AtomicInteger served = new AtomicInteger();
    origin.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (served.getAndIncrement() > 0) {
          allArrived.countDown();
          // every request must reach the origin side by side: none may wait behind another's fetch
          assertThat(allArrived.await(20, TimeUnit.SECONDS)).isTrue();
        }
        return new MockResponse.Builder().body("for-you").addHeader("Cache-Control", "private").build();
      }
    });
    assertThat(get("/private").body()).isEqualTo("for-you"); // learns: unshareable
    List<Result> results = concurrentGets("/private", n);
    assertThat(results).allSatisfy(r -> assertThat(r.body()).isEqualTo("for-you"));
    assertThat(originRequests()).isEqualTo(n + 1);
    assertThat(edge.context().predictor().bypasses()).isEqualTo(n);
  }
}
