package dev.cachalot.purge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher API on a real listener: the auth matrix, validation with JSON paths, and the edge API. */
class PurgeApiTest extends PurgeServiceTestBase {
  @TempDir Path dir;
  PurgeService service;
  String base;

  @BeforeEach
  void start() {
    service = PurgeService.start(config(dir));
    base = "http://127.0.0.1:" + service.address().getPort();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private Answer purge(String token, String body) throws Exception {
    return call("POST", base + "/v1/purge", token, body);
  }

  @Test
  void acceptedPurgesGetAnIdAndASequenceNumber() throws Exception {
    Answer a = purge(PHOTOS, "{\"urls\": [\"https://img.example.com/a.jpg\"]}");
    assertThat(a.code()).isEqualTo(202);
    JsonNode j = new ObjectMapper().readTree(a.body());
    assertThat(j.path("id").asText()).isEqualTo("p-1");
    assertThat(j.path("seq").asLong()).isEqualTo(1);
    Answer b = purge(ADMIN, "{\"all\": true, \"hosts\": [\"img.example.com\"], \"soft\": true}");
    assertThat(new ObjectMapper().readTree(b.body()).path("seq").asLong()).isEqualTo(2);
    assertThat(service.head()).isEqualTo(2);
  }

  @Test
  void theAuthMatrix() throws Exception {
    String url = "{\"urls\": [\"https://img.example.com/a.jpg\"]}";
    Answer none = purge(null, url);
    assertThat(none.code()).isEqualTo(401);
    assertThat(none.headers().get("WWW-Authenticate")).startsWith("Bearer");
    assertThat(purge("not-a-token-at-all-xxxx", url).code()).isEqualTo(401);

    Answer wrongHost = purge(PHOTOS, "{\"urls\": [\"https://www.other.org/a.jpg\"]}");
    assertThat(wrongHost.code()).isEqualTo(403);
    assertThat(wrongHost.body()).contains("may not purge host 'www.other.org'");
    assertThat(purge(PHOTOS, "{\"urls\": [\"https://cdn.photos.example.com/a.jpg\"]}").code())
        .as("*.photos.example.com").isEqualTo(202);

    Answer all = purge(PHOTOS, "{\"all\": true, \"hosts\": [\"img.example.com\"]}");
    assertThat(all.code()).isEqualTo(403);
    assertThat(all.body()).contains("may not purge by all").contains("separate right");
    assertThat(purge(ADMIN, "{\"all\": true, \"hosts\": [\"img.example.com\"]}").code()).isEqualTo(202);

    assertThat(purge(SLOW, url).code()).isEqualTo(202);
    assertThat(purge(SLOW, url).code()).isEqualTo(202);
    Answer limited = purge(SLOW, url);
    assertThat(limited.code()).isEqualTo(429);
    assertThat(limited.headers().get("Retry-After")).isEqualTo("1");
    assertThat(limited.body()).doesNotContain(SLOW);
  }

  @Test
  void malformedBodiesGet400WithTheJsonPathOfEachProblem() throws Exception {
    Answer a = purge(ADMIN, "{\"urls\": [\"/relative\", 7], \"tags\": [\"two words\"], \"soft\": \"yes\", \"colour\": 1}");
    assertThat(a.code()).isEqualTo(400);
    JsonNode problems = new ObjectMapper().readTree(a.body()).path("problems");
    assertThat(problems.toString()).contains("$.urls[0]: must be an absolute http(s) URL")
        .contains("$.urls[1]: must be a string").contains("$.tags[0]: a tag is one token")
        .contains("$.soft: must be true or false").contains("$.colour: unknown field")
        .contains("$.hosts: required with tags or all");
    assertThat(purge(ADMIN, "{not json").body()).contains("$: not valid JSON");
    assertThat(purge(ADMIN, "{}").body()).contains("nothing to purge");
    assertThat(service.head()).as("nothing was recorded").isZero();
  }

  @Test
  void edgesFollowTheLogAndTheStatusSaysWhoAppliedWhat() throws Exception {
    purge(PHOTOS, "{\"urls\": [\"https://img.example.com/a.jpg\"]}");
    purge(PHOTOS, "{\"tags\": [\"album-7\"], \"hosts\": [\"img.example.com\"]}");
    assertThat(call("GET", base + "/v1/log?after=0", null, null).code()).as("edges need their token")
        .isEqualTo(401);
    Answer page = call("GET", base + "/v1/log?after=0&edge=edge-a", EDGE, null);
    JsonNode p = new ObjectMapper().readTree(page.body());
    assertThat(p.path("head").asLong()).isEqualTo(2);
    assertThat(p.path("records")).hasSize(2);
    assertThat(p.path("records").get(1).path("tags").get(0).asText()).isEqualTo("album-7");
    // edge-a reports it applied both by asking for what comes after them
    call("GET", base + "/v1/log?after=2&edge=edge-a&wait=0", EDGE, null);
    call("GET", base + "/v1/log?after=1&edge=edge-b&wait=0", EDGE, null);
    JsonNode status = new ObjectMapper().readTree(call("GET", base + "/v1/purge/p-2", PHOTOS, null).body());
    assertThat(status.path("edges").toString()).contains("\"edge\":\"edge-a\",\"appliedSeq\":2,\"applied\":true")
        .contains("\"edge\":\"edge-b\",\"appliedSeq\":1,\"applied\":false");
    assertThat(status.path("appliedEverywhere").asBoolean()).isFalse();
    assertThat(call("GET", base + "/v1/purge/p-99", PHOTOS, null).code()).isEqualTo(404);
  }

  @Test
  void aLongPollIsAnsweredByTheNextPurge() throws Exception {
    var poll = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return call("GET", base + "/v1/log?after=0&wait=20000&edge=e", EDGE, null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(poll).isNotDone();
    purge(PHOTOS, "{\"urls\": [\"https://img.example.com/a.jpg\"]}");
    Answer a = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(new ObjectMapper().readTree(a.body()).path("records")).hasSize(1);
  }
}
