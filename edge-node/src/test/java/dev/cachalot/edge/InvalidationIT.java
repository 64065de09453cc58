package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Unsafe methods are forwarded and invalidate what they may have changed (RFC 9111 §4.4). */
class InvalidationIT extends EdgeTestBase {

  private void store(String path, String body) throws Exception {
    enqueueFresh(body, 600);
    get(path);
    assertThat(get(path).hit()).isTrue();
  }

  @Test
  void successfulPostInvalidatesTheTargetUri() throws Exception {
    store("/item", "old");
    enqueue(201, "created");
    Result post = sendBody("POST", "/item", "payload", "Content-Type", "text/plain");
    assertThat(post.code()).isEqualTo(201);
    assertThat(post.body()).isEqualTo("created");
    enqueueFresh("new", 600);
    assertThat(get("/item").body()).isEqualTo("new");
  }

  @Test
  void bodyAndMethodReachTheOriginUnchanged() throws Exception {
    for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
      enqueue(200, "ok");
      sendBody(method, "/path/x?q=1&r=%2F", method.equals("DELETE") ? null : "body-" + method,
          "Content-Type", "application/json", "X-Custom", "kept");
      RecordedRequest seen = takeOriginRequest();
      assertThat(seen.getMethod()).isEqualTo(method);
      assertThat(seen.getTarget()).isEqualTo("/path/x?q=1&r=%2F");
      assertThat(seen.getHeaders().get("X-Custom")).isEqualTo("kept");
      if (!method.equals("DELETE")) {
        assertThat(seen.getBody().utf8()).isEqualTo("body-" + method);
        assertThat(seen.getHeaders().get("Content-Type")).isEqualTo("application/json");
      }
    }
  }

  @Test
  void sameOriginLocationAndContentLocationAreInvalidated() throws Exception {
    store("/a", "a");
    store("/b", "b");
    store("/c", "c");
    enqueue(303, "", "Location", "/a", "Content-Location", url("/b"));
    send("DELETE", "/c");
    enqueueFresh("a2", 600);
    enqueueFresh("b2", 600);
    enqueueFresh("c2", 600);
    assertThat(get("/a").body()).isEqualTo("a2");
    assertThat(get("/b").body()).isEqualTo("b2");
    assertThat(get("/c").body()).isEqualTo("c2");
  }

  @Test
  void foreignLocationIsNotInvalidated() throws Exception {
    store("/keep", "k");
    enqueue(201, "", "Location", "http://elsewhere.example/keep");
    sendBody("POST", "/other", "x");
    assertThat(get("/keep").hit()).isTrue();
  }

  @Test
  void errorResponsesDoNotInvalidate() throws Exception {
    store("/stay", "s");
    enqueue(500, "boom");
    assertThat(sendBody("PUT", "/stay", "x").code()).isEqualTo(500);
    assertThat(get("/stay").hit()).isTrue();
  }

  @Test
  void requestBodyLargerThanTheLimitGets413() throws Exception {
    Result r = sendBody("POST", "/upload", "z".repeat((1 << 20) + 1));
    assertThat(r.code()).isEqualTo(413);
    assertThat(originRequests()).isZero();
  }
}
