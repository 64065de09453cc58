package dev.cachalot.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.cachalot.config.CacheConfig;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.ResilienceConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge in front of a WireMock origin that is down, slow, resets, or keeps failing. */
class OriginFaultsIT extends EdgeTestBase {
  private WireMockServer wire;

  @Override
  protected EdgeConfig config() {
    wire = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wire.start();
    ResilienceConfig r = new ResilienceConfig(1, Duration.ZERO, Duration.ZERO, 0, 3, Duration.ofMinutes(5), 2, 0,
        Duration.ofMillis(100));
    OriginConfig o = OriginConfig.of(wire.baseUrl()).withResilience(r)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(500));
    return baseConfig(new CacheConfig(64L << 20, 1L << 20, Duration.ofDays(1), Duration.ofSeconds(60),
        Duration.ofMinutes(2), Duration.ofSeconds(30), Set.of())).withOrigin(o);
  }

  @AfterEach
  void stopWire() {
    wire.stop();
  }

  private int wireRequests(String path) {
    return wire.countRequestsMatching(anyRequestedFor(urlEqualTo(path)).build()).getCount();
  }

  @Test
  void originDownServesCachedObjectsStaleAndOthers502() throws Exception {
    wire.stubFor(WireMock.get(urlEqualTo("/cached.jpg")).willReturn(aResponse().withStatus(200).withBody("photo")
        .withHeader("Cache-Control", "max-age=10")));
    assertThat(get("/cached.jpg").body()).isEqualTo("photo");
    clock.advanceSeconds(30);
    wire.stop();

    Result stale = get("/cached.jpg");
    assertThat(stale.code()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("photo");
    assertThat(stale.cacheStatus()).contains("fwd=stale").contains("detail=stale-if-error");

    Result missing = get("/never-seen.jpg");
    assertThat(missing.code()).as("refused at once: 502, not a timeout").isEqualTo(502);
    assertThat(missing.body()).contains("refused");
  }

  @Test
  void slowFirstByteIs504WhileHitsStayServed() throws Exception {
    wire.stubFor(WireMock.get(urlEqualTo("/hot.jpg")).willReturn(aResponse().withStatus(200).withBody("hot")
        .withHeader("Cache-Control", "max-age=600")));
    wire.stubFor(WireMock.get(urlEqualTo("/slow.jpg")).willReturn(aResponse().withStatus(200).withBody("late")
        .withFixedDelay(3000)));
    assertThat(get("/hot.jpg").body()).isEqualTo("hot");

    CompletableFuture<Result> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return get("/slow.jpg");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(Await.until(() -> wireRequests("/slow.jpg") == 1, Duration.ofSeconds(5))).isTrue();
    for (int i = 0; i < 20; i++) {
      Result hit = get("/hot.jpg");
      assertThat(hit.hit()).isTrue();
    }
    assertThat(slow).as("the hits were answered while the slow fetch was still waiting").isNotDone();
    Result timedOut = slow.get(10, TimeUnit.SECONDS);
    assertThat(timedOut.code()).isEqualTo(504);
    assertThat(timedOut.body()).contains("did not answer in time");
  }

  @Test
  void aResetMidBodyIsNeverStored() throws Exception {
    wire.stubFor(WireMock.get(urlEqualTo("/cut.jpg")).willReturn(aResponse().withStatus(200)
        .withHeader("Cache-Control", "max-age=600").withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
    Result first = null;
    try {
      first = get("/cut.jpg");
    } catch (IOException expected) {
      // the client saw the connection cut, not a silently short 200
    }
    if (first != null) {
      assertThat(first.code()).as("a cut body is never a complete 200").isNotEqualTo(200);
    }
    wire.stubFor(WireMock.get(urlEqualTo("/cut.jpg")).willReturn(aResponse().withStatus(200).withBody("whole")
        .withHeader("Cache-Control", "max-age=600")));
    Result second = get("/cut.jpg");
    assertThat(second.body()).isEqualTo("whole");
    assertThat(second.hit()).as("nothing was stored from the cut response").isFalse();
    assertThat(wireRequests("/cut.jpg")).isEqualTo(2);
  }

  @Test
  void anS3BodyThatDoesNotMatchItsEtagIsNeverStored() throws Exception {
    // WireMock plays an anonymous S3 bucket whose object arrives complete in length but corrupted
    wire.stubFor(WireMock.get(urlEqualTo("/bucket/obj.bin")).willReturn(aResponse().withStatus(200)
        .withBody("abd").withHeader("ETag", "\"900150983cd24fb0d6963f7d28e17f72\"")
        .withHeader("Cache-Control", "max-age=600")));
    EdgeConfig base = edge.config();
    edge.close();
    OriginConfig s3 = OriginConfig.s3(wire.baseUrl(), new dev.cachalot.config.S3Config("us-east-1", "bucket", "",
        false, null, null, null, Duration.ofSeconds(10))).withResilience(scripted());
    edge = EdgeNode.start(base.withOrigin(s3), clock);
    for (int i = 0; i < 2; i++) {
      Result r = null;
      try {
        r = get("/obj.bin");
      } catch (IOException expected) {
        // the body was already streaming: the connection is cut
      }
      if (r != null) {
        assertThat(r.code()).isEqualTo(502);
      }
    }
    assertThat(wireRequests("/bucket/obj.bin")).as("nothing stored: both went to the origin").isEqualTo(2);
  }

  @Test
  void theBreakerOpensAndMissesFailFastWith503() throws Exception {
    wire.stubFor(WireMock.get(urlPathEqualTo("/broken")).willReturn(aResponse().withStatus(500).withBody("boom")));
    for (int i = 0; i < 3; i++) {
      assertThat(get("/broken?n=" + i).code()).isEqualTo(500);
    }
    Result fast = get("/broken?n=after");
    assertThat(fast.code()).isEqualTo(503);
    assertThat(fast.body()).contains("circuit breaker is open");
    assertThat(fast.cacheStatus()).contains("detail=circuit_open");
    assertThat(wire.getAllServeEvents()).hasSize(3);
    assertThat(edge.context().origins().health().get(0).breaker()).isEqualTo("open");
  }

  @Test
  void theBulkheadShedsPastItsLimitWith503() throws Exception {
    wire.stubFor(WireMock.get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("slow").withFixedDelay(400)
        .withHeader("Cache-Control", "max-age=600")));
    var calls = new java.util.ArrayList<CompletableFuture<Result>>();
    // two client threads of its own: on two cores, supplyAsync's default pool may run both on one thread (JDK 25)
    var clients = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 2; i++) {
        String path = "/held" + i;
        calls.add(CompletableFuture.supplyAsync(() -> {
          try {
            return get(path);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, clients));
      }
      assertThat(Await.until(() -> edge.context().origins().health().get(0).inFlight() == 2,
          Duration.ofSeconds(5))).isTrue();
      Result shed = get("/third");
      assertThat(shed.code()).isEqualTo(503);
      assertThat(shed.body()).contains("too many fetches");
      for (CompletableFuture<Result> c : calls) {
        assertThat(c.get(10, TimeUnit.SECONDS).code()).isEqualTo(200);
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(wireRequests("/third")).isZero();
  }
}
