package dev.cachalot.edge;

import static dev.cachalot.edge.PurgeTestSupport.get;
import static dev.cachalot.edge.PurgeTestSupport.hit;
import static dev.cachalot.edge.PurgeTestSupport.purge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.MappedTierConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge with a mapped tier that was down while purges were issued, or that starts while the purge service is
 * down: it never serves what was purged.
 */
class DownEdgePurgeIT {
  @TempDir Path dir;
  PurgeServiceProcess service;
  PurgeTestSupport support;
  EdgeConfig config;
  EdgeNode edge;

  @BeforeEach
  void start() throws Exception {
    service = PurgeServiceProcess.start(dir);
    support = new PurgeTestSupport();
    config = support.edgeConfig(service.url(), "edge-down")
        .withMapped(new MappedTierConfig(dir.resolve("tier"), 64L << 20, 4096));
    edge = EdgeNode.start(config);
  }

  @AfterEach
  void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    support.origin.close();
    service.close();
  }

  @Test
  void anEdgeThatWasDownAppliesEveryPurgeItMissedBeforeServing() throws Exception {
    for (int i = 0; i < 100; i++) {
      get(edge, "/obj/" + i);
    }
    edge.close();
    edge = null;
    for (int i = 0; i < 100; i++) {
      purge(service.url(), "{\"urls\": [\"https://img.example.com/obj/" + i + "\"]}");
    }
    edge = EdgeNode.start(config);
    assertThat(edge.purgeFollower().applied()).as("caught up before serving").isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(get(edge, "/obj/" + i)).as("purged while down: /obj/" + i).contains("fwd=uri-miss");
    }
    assertThat(support.fetches("/obj/7")).isEqualTo(2);

    // and a restart with nothing new: the journal keeps its place and the fresh copies are hits
    edge.close();
    edge = EdgeNode.start(config);
    assertThat(edge.purgeFollower().applied()).isEqualTo(100);
    assertThat(hit(edge, "/obj/7")).isTrue();
  }

  @Test
  void startingWhileThePurgeServiceIsDownRevalidatesUntilCaughtUp() throws Exception {
    get(edge, "/obj/a");
    get(edge, "/obj/b");
    edge.close();
    edge = null;
    purge(service.url(), "{\"urls\": [\"https://img.example.com/obj/a\"]}");
    service.kill();

    edge = EdgeNode.start(config.withPurge(config.purge()));
    assertThat(edge.purges().trusting()).as("not caught up").isFalse();
    // a was purged while the edge was down and the edge cannot know it yet: never served from the tier
    assertThat(get(edge, "/obj/a")).contains("fwd=stale").contains("fwd-status=304");
    assertThat(get(edge, "/obj/b")).contains("fwd=stale").contains("fwd-status=304");
    assertThat(support.conditionals("/obj/a")).isEqualTo(1);

    service.start();
    assertThat(Await.until(() -> edge.purges().trusting(), Duration.ofSeconds(20))).as("caught up").isTrue();
    assertThat(edge.purgeFollower().applied()).isEqualTo(1);
    assertThat(hit(edge, "/obj/b")).isTrue();
  }
}
