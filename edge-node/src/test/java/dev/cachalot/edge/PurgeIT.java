package dev.cachalot.edge;

import static dev.cachalot.edge.PurgeTestSupport.awaitApplied;
import static dev.cachalot.edge.PurgeTestSupport.get;
import static dev.cachalot.edge.PurgeTestSupport.hit;
import static dev.cachalot.edge.PurgeTestSupport.purge;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One purge service, three edges following it: every kind of purge reaches every edge. */
class PurgeIT {
  @TempDir Path dir;
  PurgeServiceProcess service;
  PurgeTestSupport support;
  final List<EdgeNode> edges = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    service = PurgeServiceProcess.start(dir);
    support = new PurgeTestSupport();
    for (int i = 0; i < 3; i++) {
      edges.add(EdgeNode.start(support.edgeConfig(service.url(), "edge-" + i)));
    }
  }

  @AfterEach
  void stop() throws Exception {
    edges.forEach(EdgeNode::close);
    support.origin.close();
    service.close();
  }

  private EdgeNode[] all() {
    return edges.toArray(new EdgeNode[0]);
  }

  private void warm(String... paths) throws Exception {
    for (EdgeNode e : edges) {
      for (String p : paths) {
        get(e, p);
        assertThat(hit(e, p)).as(p + " cached").isTrue();
      }
    }
  }

  private void assertEverywhere(String path, boolean hit) throws Exception {
    for (EdgeNode e : edges) {
      assertThat(hit(e, path)).as(path + " hit on " + e.config().purge().edgeId()).isEqualTo(hit);
    }
  }

  @Test
  void urlPrefixTagAndAllPurgesReachEveryEdge() throws Exception {
    warm("/album7/a.jpg", "/album7/b.jpg", "/album8/c.jpg", "/other/d.jpg");

    awaitApplied(purge(service.url(), "{\"urls\": [\"https://img.example.com/album7/a.jpg\"]}"), all());
    for (EdgeNode e : edges) {
      assertThat(get(e, "/album7/a.jpg")).as("purged URL").contains("fwd=uri-miss");
    }
    assertEverywhere("/album7/b.jpg", true);

    awaitApplied(purge(service.url(), "{\"prefixes\": [\"https://img.example.com/album8/\"]}"), all());
    assertEverywhere("/album8/c.jpg", false);
    assertEverywhere("/other/d.jpg", true);

    awaitApplied(purge(service.url(), "{\"tags\": [\"album7\"], \"hosts\": [\"img.example.com\"]}"), all());
    for (EdgeNode e : edges) {
      assertThat(get(e, "/album7/b.jpg")).as("tagged album7").contains("fwd=uri-miss");
    }
    assertEverywhere("/other/d.jpg", true);

    long seq = purge(service.url(), "{\"all\": true, \"hosts\": [\"img.example.com\"]}");
    awaitApplied(seq, all());
    for (String p : List.of("/album7/a.jpg", "/album7/b.jpg", "/album8/c.jpg", "/other/d.jpg")) {
      for (EdgeNode e : edges) {
        assertThat(get(e, p)).as(p + " after purging everything").contains("fwd=uri-miss");
      }
      assertEverywhere(p, true);
    }

    JsonNode status = status("p-" + seq);
    assertThat(status.path("edges")).hasSize(3);
    assertThat(status.path("appliedEverywhere").asBoolean()).isTrue();
    status.path("edges").forEach(e -> assertThat(e.path("appliedAt").isTextual()).isTrue());
  }

  @Test
  void anObjectFetchedWhileItsPurgeIsAppliedIsNotKept() throws Exception {
    String path = "/album5/racing.jpg";
    EdgeNode edge = edges.get(0);
    java.util.concurrent.CountDownLatch chosen = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch send = new java.util.concurrent.CountDownLatch(1);
    support.held.put(path, new java.util.concurrent.CountDownLatch[] {chosen, send});
    java.util.concurrent.CompletableFuture<String> inFlight =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return get(edge, path);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    assertThat(chosen.await(15, java.util.concurrent.TimeUnit.SECONDS)).as("the origin has v1 ready").isTrue();
    long asked = System.currentTimeMillis();
    assertThat(Await.until(() -> System.currentTimeMillis() > asked, Duration.ofSeconds(5))).isTrue();
    // the publisher replaces the object and purges it while the edge's fetch of the old one is in flight
    support.versions.computeIfAbsent(path, p -> new java.util.concurrent.atomic.AtomicInteger(1)).incrementAndGet();
    awaitApplied(purge(service.url(), "{\"urls\": [\"https://img.example.com" + path + "\"]}"), edge);
    send.countDown();
    inFlight.get(15, java.util.concurrent.TimeUnit.SECONDS); // v1: it was asked for before the purge
    try (Response r = PurgeTestSupport.HTTP.newCall(new Request.Builder()
        .url("http://127.0.0.1:" + edge.address().getPort() + path).header("Host", "img.example.com")
        .build()).execute()) {
      assertThat(r.body().string()).as("the copy asked for before the purge is purged").startsWith("v2:");
    }
  }

  @Test
  void softPurgedObjectsAreRevalidatedNotRefetched() throws Exception {
    warm("/album9/s.jpg");
    int fetchesBefore = support.fetches("/album9/s.jpg");
    awaitApplied(purge(service.url(), "{\"urls\": [\"https://img.example.com/album9/s.jpg\"], \"soft\": true}"),
        all());
    for (EdgeNode e : edges) {
      String cs = get(e, "/album9/s.jpg");
      assertThat(cs).as("revalidated").contains("fwd=stale").contains("fwd-status=304");
      assertThat(hit(e, "/album9/s.jpg")).as("fresh again after the 304").isTrue();
    }
    assertThat(support.conditionals("/album9/s.jpg")).isEqualTo(3);
    assertThat(support.fetches("/album9/s.jpg")).as("no body fetched again").isEqualTo(fetchesBefore);

    // a soft purge of a changed object: the 304 fails, the new version arrives
    support.versions.get("/album9/s.jpg").incrementAndGet();
    awaitApplied(purge(service.url(), "{\"tags\": [\"album9\"], \"hosts\": [\"img.example.com\"], \"soft\": true}"),
        all());
    for (EdgeNode e : edges) {
      try (Response r = PurgeTestSupport.HTTP.newCall(new Request.Builder()
          .url("http://127.0.0.1:" + e.address().getPort() + "/album9/s.jpg").header("Host", "img.example.com")
          .build()).execute()) {
        assertThat(r.body().string()).startsWith("v2:");
      }
    }
  }

  @Test
  void thePurgeMethodOnAnEdgeGoesThroughTheLogToEveryEdge() throws Exception {
    warm("/album5/p.jpg");
    EdgeNode first = edges.get(0);
    String url = "http://127.0.0.1:" + first.address().getPort() + "/album5/p.jpg";
    try (Response r = PurgeTestSupport.HTTP.newCall(new Request.Builder().url(url).header("Host", "img.example.com")
        .method("PURGE", null).build()).execute()) {
      assertThat(r.code()).as("no token").isEqualTo(401);
    }
    long seq;
    try (Response r = PurgeTestSupport.HTTP.newCall(new Request.Builder().url(url).header("Host", "img.example.com")
        .header("Authorization", "Bearer " + PurgeServiceProcess.ADMIN_TOKEN).method("PURGE", null).build())
        .execute()) {
      assertThat(r.code()).isEqualTo(202);
      seq = new ObjectMapper().readTree(r.body().string()).path("seq").asLong();
    }
    awaitApplied(seq, all());
    assertEverywhere("/album5/p.jpg", false);
  }

  private JsonNode status(String id) throws Exception {
    try (Response r = PurgeTestSupport.HTTP.newCall(new Request.Builder().url(service.url() + "/v1/purge/" + id)
        .header("Authorization", "Bearer " + PurgeServiceProcess.ADMIN_TOKEN).build()).execute()) {
      return new ObjectMapper().readTree(r.body().string());
    }
  }
}
