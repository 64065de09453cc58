package dev.cachalot.origin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.cachalot.config.OriginConfig;
import dev.cachalot.config.ResilienceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Breaker, retries and bulkhead against a scripted WireMock origin; the breaker runs on a manual clock. */
class ResilientOriginClientTest {
  private WireMockServer origin;
  private ScheduledExecutorService timer;
  private final AtomicLong nanos = new AtomicLong();
  private final List<OriginClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    origin = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    origin.start();
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    clients.forEach(OriginClient::close);
    origin.stop();
    timer.shutdownNow();
  }

  private ResilientOriginClient client(ResilienceConfig r) {
    OriginConfig c = OriginConfig.of(origin.baseUrl()).withResilience(r)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
    ResilientOriginClient client = new ResilientOriginClient("test", new OkHttpOriginClient(c), r, timer, nanos::get);
    clients.add(client);
    return client;
  }

  private static ResilienceConfig base() {
    return new ResilienceConfig(1, Duration.ZERO, Duration.ZERO, 0, 0, Duration.ofSeconds(5), 64, 64,
        Duration.ofSeconds(5));
  }

  private static int status(OriginClient c) {
    try (OriginResponse r = c.fetch(OriginRequest.get("/x", "h", HttpFields.EMPTY)).join()) {
      r.body().readAllBytes();
      return r.status();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static OriginException.Kind failure(OriginClient c) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(
        () -> c.fetch(OriginRequest.get("/x", "h", HttpFields.EMPTY)).join());
    assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(OriginException.class);
    return ((OriginException) t.getCause()).kind();
  }

  private int originRequests() {
    return origin.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
  }

  @Test
  void breakerOpensHalfOpensAndCloses() {
    origin.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(500)));
    ResilientOriginClient c = client(base().withBreaker(3, Duration.ofSeconds(5)));
    for (int i = 0; i < 3; i++) {
      assertThat(status(c)).isEqualTo(500);
    }
    assertThat(c.health().breaker()).isEqualTo("open");
    assertThat(failure(c)).isEqualTo(OriginException.Kind.CIRCUIT_OPEN);
    assertThat(originRequests()).as("an open breaker fails fast").isEqualTo(3);

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
    assertThat(c.health().breaker()).isEqualTo("half_open");
    assertThat(status(c)).as("one probe").isEqualTo(500);
    assertThat(c.health().breaker()).as("a failed probe re-opens").isEqualTo("open");
    assertThat(originRequests()).isEqualTo(4);

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
    origin.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
    assertThat(status(c)).isEqualTo(200);
    assertThat(c.health().breaker()).isEqualTo("closed");
    assertThat(c.health().breakerOpens()).isEqualTo(2);
    assertThat(status(c)).isEqualTo(200);
  }

  @Test
  void aFailedRetryIsTriedAgainWithBackoff() {
    origin.stubFor(get(anyUrl()).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
    origin.stubFor(get(anyUrl()).inScenario("flaky").whenScenarioStateIs("second")
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("third"));
    origin.stubFor(get(anyUrl()).inScenario("flaky").whenScenarioStateIs("third")
        .willReturn(aResponse().withStatus(200).withBody("ok")));
    ResilientOriginClient c = client(new ResilienceConfig(3, Duration.ofMillis(5), Duration.ofMillis(20), 10, 0,
        Duration.ofSeconds(5), 64, 64, Duration.ofSeconds(5)));
    assertThat(status(c)).isEqualTo(200);
    assertThat(originRequests()).isEqualTo(3);
    // the reset may be retried by OkHttp itself (it does so once for a reused connection that turns out stale)
    assertThat(c.health().retries()).isBetween(1L, 2L);
  }

  @Test
  void retriesStayWithinTheBudgetDuringAnOutage() {
    origin.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(503)));
    ResilientOriginClient c = client(new ResilienceConfig(3, Duration.ZERO, Duration.ZERO, 10, 0,
        Duration.ofSeconds(5), 64, 64, Duration.ofSeconds(5)));
    int requests = 300;
    for (int i = 0; i < requests; i++) {
      assertThat(status(c)).isEqualTo(503);
    }
    // without a budget: 3 x 300 = 900; with 10% and a reserve of 10: at most 300 + 30 + 10
    assertThat(originRequests()).isBetween(requests + 1, requests + requests / 10 + 10);
    assertThat(c.health().retriesDenied()).isGreaterThan(0);
  }

  @Test
  void postsAreNeverRetried() {
    origin.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(anyUrl())
        .willReturn(aResponse().withStatus(503)));
    ResilientOriginClient c = client(new ResilienceConfig(3, Duration.ZERO, Duration.ZERO, 100, 0,
        Duration.ofSeconds(5), 64, 64, Duration.ofSeconds(5)));
    OriginResponse r = c.fetch(new OriginRequest("POST", "/x", "h", HttpFields.EMPTY, new byte[] {1})).join();
    assertThat(r.status()).isEqualTo(503);
    r.close();
    assertThat(originRequests()).isEqualTo(1);
  }

  @Test
  void bulkheadKeepsItsLimitQueuesThenSheds() throws Exception {
    origin.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("slow").withFixedDelay(1500)));
    ResilientOriginClient c = client(base().withBulkhead(2, 1, Duration.ofMillis(300)));
    List<CompletableFuture<OriginResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(c.fetch(OriginRequest.get("/x" + i, "h", HttpFields.EMPTY)));
    }
    assertThat(c.health().inFlight()).isEqualTo(2);
    // the 4th and 5th found the queue full; the 3rd waits 300 ms for a slot that the slow origin never frees
    assertThat(calls.get(3)).isCompletedExceptionally();
    assertThat(calls.get(4)).isCompletedExceptionally();
    assertThatThrownBy(() -> calls.get(2).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(OriginException.class)
        .satisfies(e -> assertThat(((OriginException) e.getCause()).kind())
            .isEqualTo(OriginException.Kind.OVERLOADED));
    for (int i = 0; i < 2; i++) {
      try (OriginResponse r = calls.get(i).get(10, TimeUnit.SECONDS)) {
        assertThat(new String(r.body().readAllBytes())).isEqualTo("slow");
      }
    }
    assertThat(c.health().inFlight()).as("slots come back when bodies are read").isZero();
    assertThat(c.health().shed()).isEqualTo(3);
    assertThat(originRequests()).isEqualTo(2);
  }
}
