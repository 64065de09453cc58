package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachalot.config.OriginConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OkHttpOriginClientTest {
  private MockWebServer server;
  private OriginClient client;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    client = OriginClients.create(OriginConfig.of(server.url("/base/").toString())
        .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static OriginException failure(Throwable t) {
    Throwable c = t instanceof CompletionException ? t.getCause() : t;
    assertThat(c).isInstanceOf(OriginException.class);
    return (OriginException) c;
  }

  @Test
  void forwardsTargetUnderTheBasePathWithoutAddingFields() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").addHeader("ETag", "\"1\"").build());
    try (OriginResponse r = client.fetch(OriginRequest.get("/a%20b?x=1", "client.example",
        HttpFields.of("X-A", "1"))).join()) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("ETag")).isEqualTo("\"1\"");
      assertThat(new String(r.body().readAllBytes())).isEqualTo("hello");
    }
    RecordedRequest seen = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(seen.getTarget()).isEqualTo("/base/a%20b?x=1");
    assertThat(seen.getHeaders().get("X-A")).isEqualTo("1");
    assertThat(seen.getHeaders().get("Accept-Encoding")).as("no transparent gzip").isNull();
  }

  @Test
  void readTimeoutIsClassified() {
    server.enqueue(new MockResponse.Builder().body("late").headersDelay(2, TimeUnit.SECONDS).build());
    assertThatThrownBy(() -> client.fetch(OriginRequest.get("/", "h", HttpFields.EMPTY)).join())
        .satisfies(t -> {
          OriginException e = failure(t);
          assertThat(e.kind()).isEqualTo(OriginException.Kind.READ_TIMEOUT);
          assertThat(e.isTimeout()).isTrue();
        });
  }

  @Test
  void refusedConnectionIsClassified() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OriginClient dead = OriginClients.create(OriginConfig.of("http://127.0.0.1:" + port));
    try {
      assertThatThrownBy(() -> dead.fetch(OriginRequest.get("/", "h", HttpFields.EMPTY)).join())
          .satisfies(t -> assertThat(failure(t).kind()).isEqualTo(OriginException.Kind.REFUSED));
    } finally {
      dead.close();
    }
  }

  @Test
  void unsafeMethodsCarryTheirBody() throws Exception {
    server.enqueue(new MockResponse.Builder().code(201).build());
    client.fetch(new OriginRequest("POST", "/p", "h", HttpFields.of("Content-Type", "text/plain"),
        "payload".getBytes())).join().close();
    RecordedRequest seen = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(seen.getMethod()).isEqualTo("POST");
    assertThat(seen.getBody().utf8()).isEqualTo("payload");
    assertThat(seen.getHeaders().get("Content-Type")).isEqualTo("text/plain");
  }
}
