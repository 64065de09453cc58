package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.edge.tier.CacheTier;
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
