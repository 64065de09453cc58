package dev.cachalot.edge;

import static dev.cachalot.edge.PurgeTestSupport.awaitApplied;
import static dev.cachalot.edge.PurgeTestSupport.get;
import static dev.cachalot.edge.PurgeTestSupport.hit;
import static dev.cachalot.edge.PurgeTestSupport.purge;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachalot.config.EdgeConfig;
import dev.cachalot.config.MappedTierConfig;
import dev.cachalot.config.PurgeFollowConfig;
import dev.cachalot.config.PurgeServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The purge log on NATS JetStream (a real nats-server): the service appends to the stream, and the edges read the
 * stream directly, so the service is not in the fan-out path; they still report progress to it.
 */
class NatsPurgeIT {
  @TempDir Path dir;
  NatsServerProcess nats;
  PurgeServiceProcess service;
  PurgeTestSupport support;
  EdgeNode a;
  EdgeNode b;
  EdgeConfig configB;

  private EdgeConfig config(String id) {
    EdgeConfig c = support.edgeConfig(service.url(), id);
    PurgeFollowConfig p = c.purge();
    return c.withPurge(new PurgeFollowConfig(p.service(), id, p.edgeToken(), Duration.ofSeconds(5),
        PurgeFollowConfig.Unreachable.REVALIDATE, nats.url(), PurgeServiceConfig.DEFAULT_STREAM));
  }

  @BeforeEach
  void start() throws Exception {
    nats = NatsServerProcess.start(dir.resolve("nats"));
    service = PurgeServiceProcess.start(dir, nats.url());
    support = new PurgeTestSupport();
    a = EdgeNode.start(config("nats-edge-a"));
    configB = config("nats-edge-b").withMapped(new MappedTierConfig(dir.resolve("tier-b"), 64L << 20, 4096));
    b = EdgeNode.start(configB);
  }

  @AfterEach
  void stop() throws Exception {
    for (EdgeNode e : new EdgeNode[] {a, b}) {
      if (e != null) {
        e.close();
      }
    }
    support.origin.close();
    service.close();
    nats.close();
  }

  @Test
  void everyKindOfPurgeReachesEdgesReadingTheStream() throws Exception {
    for (EdgeNode e : new EdgeNode[] {a, b}) {
      for (String p : new String[] {"/album1/x.jpg", "/album2/y.jpg", "/pre/z.jpg", "/keep/k.jpg"}) {
        get(e, p);
        assertThat(hit(e, p)).isTrue();
      }
    }
    awaitApplied(purge(service.url(), "{\"urls\": [\"https://img.example.com/album1/x.jpg\"]}"), a, b);
    awaitApplied(purge(service.url(), "{\"tags\": [\"album2\"], \"hosts\": [\"img.example.com\"]}"), a, b);
    long seq = purge(service.url(), "{\"prefixes\": [\"https://img.example.com/pre/\"]}");
    awaitApplied(seq, a, b);
    for (EdgeNode e : new EdgeNode[] {a, b}) {
      assertThat(hit(e, "/album1/x.jpg")).isFalse();
      assertThat(hit(e, "/album2/y.jpg")).isFalse();
      assertThat(hit(e, "/pre/z.jpg")).isFalse();
      assertThat(hit(e, "/keep/k.jpg")).isTrue();
    }
    // the edges read NATS, and told the service what they applied
    assertThat(Await.until(() -> appliedEverywhere("p-" + seq), Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void anEdgeThatWasDownCatchesUpFromTheStream() throws Exception {
    for (int i = 0; i < 20; i++) {
      get(b, "/down/" + i);
    }
    b.close();
    b = null;
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = purge(service.url(), "{\"urls\": [\"https://img.example.com/down/" + i + "\"]}");
    }
    b = EdgeNode.start(configB);
    assertThat(b.purgeFollower().applied()).as("caught up before serving").isEqualTo(last);
    for (int i = 0; i < 20; i++) {
      assertThat(get(b, "/down/" + i)).contains("fwd=uri-miss");
    }
  }

  private boolean appliedEverywhere(String id) {
    try (Response r = PurgeTestSupport.HTTP.newCall(new Request.Builder().url(service.url() + "/v1/purge/" + id)
        .header("Authorization", "Bearer " + PurgeServiceProcess.ADMIN_TOKEN).build()).execute()) {
      var status = new ObjectMapper().readTree(r.body().string());
      return status.path("edges").size() == 2 && status.path("appliedEverywhere").asBoolean();
    } catch (Exception e) {
      return false;
    }
  }
}
