package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.tier.CacheTier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * A miss overtaken by a fill: the fill stored the object and ended between the request's lookup and its turn to
 * fetch. The request leads no second fetch; it takes a second look and is served what the fill stored, if that may
 * be reused.
 */
class OvertakenMissIT extends EdgeTestBase {
  private final MissesOnce missesOnce = new MissesOnce();

  @Override
  protected UnaryOperator<CacheTier> tiers() {
    return missesOnce::wrap;
  }

  @Test
  void isServedWhatTheFillStored() throws Exception {
    enqueueFresh("photo", 600);
    assertThat(get("/photo").body()).isEqualTo("photo");
    missesOnce.arm("/photo");
    Result r = get("/photo");
    assertThat(missesOnce.armed()).as("the lookup missed").isFalse();
    assertThat(r.body()).isEqualTo("photo");
    assertThat(r.hit()).as(r.cacheStatus()).isTrue();
    assertThat(originRequests()).as("one fetch").isEqualTo(1);
  }

  @Test
  void followersOfAnOvertakenLeaderLookAgainAndNothingIsFetched() throws Exception {
    int followers = 5;
    enqueueFresh("photo", 600);
    get("/herd");
    missesOnce.arm("/herd", followers + 1);
    missesOnce.holdRechecks(); // the leader's second look is slow: the others join its line meanwhile
    CacheKey key = CacheKeyFactory.of("http", "127.0.0.1:" + edge.address().getPort(), "/herd");
    ExecutorService clients = Executors.newFixedThreadPool(followers + 1);
    try {
      List<Future<Result>> answers = new ArrayList<>();
      for (int i = 0; i <= followers; i++) {
        answers.add(clients.submit(() -> get("/herd")));
      }
      assertThat(Await.until(() -> edge.context().coalescer().waiting(key) == followers, Duration.ofSeconds(10)))
          .as("one leads, the others wait on it").isTrue();
      missesOnce.releaseRechecks();
      for (Future<Result> f : answers) {
        Result r = f.get(10, TimeUnit.SECONDS);
        assertThat(r.body()).isEqualTo("photo");
        assertThat(r.hit()).as(r.cacheStatus()).isTrue();
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(missesOnce.armed()).as("every first lookup missed").isFalse();
    assertThat(originRequests()).as("the one fill").isEqualTo(1);
  }

  @Test
  void validatesWhatTheSecondLookFindsIfItMustBeValidated() throws Exception {
    enqueue(200, "v1", "Cache-Control", "no-cache", "ETag", "\"1\"");
    get("/no-cache");
    takeOriginRequest();
    missesOnce.arm("/no-cache");
    enqueue(304, "", "ETag", "\"1\"", "Cache-Control", "max-age=100");
    Result r = get("/no-cache");
    assertThat(r.body()).isEqualTo("v1");
    assertThat(r.cacheStatus()).contains("fwd-status=304");
    RecordedRequest conditional = takeOriginRequest();
    assertThat(conditional.getHeaders().get("If-None-Match")).as("validated, not fetched whole").isEqualTo("\"1\"");
  }

  @Test
  void isNotTakenLongAfterTheLastFillOfTheKey() throws Exception {
    enqueueFresh("photo", 6000);
    get("/old");
    clock.advanceSeconds(60);
    missesOnce.arm("/old");
    enqueueFresh("photo again", 6000);
    assertThat(get("/old").body()).as("a miss with no fill lately: fetched, no second look").isEqualTo("photo again");
    assertThat(originRequests()).isEqualTo(2);
  }

  @Test
  void fetchesWhenTheSecondLookFindsAnotherVariant() throws Exception {
    enqueueFresh("gzip", 600, "Vary", "Accept-Encoding");
    get("/v", "Accept-Encoding", "gzip");
    missesOnce.arm("/v");
    enqueueFresh("plain", 600, "Vary", "Accept-Encoding");
    Result r = get("/v", "Accept-Encoding", "identity");
    assertThat(r.body()).isEqualTo("plain");
    assertThat(originRequests()).isEqualTo(2);
  }
}
