package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.OriginConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OriginRouterTest {
  private static OriginClient named(String name) {
    return new OriginClient() {
      @Override
      public CompletableFuture<OriginResponse> fetch(OriginRequest request) {
        return CompletableFuture.failedFuture(new IllegalStateException(name));
      }

      @Override
      public void close() {}
    };
  }

  private static OriginRouter router(Object... nameAndHosts) {
    List<OriginConfig> configs = new ArrayList<>();
    List<OriginClient> clients = new ArrayList<>();
    for (int i = 0; i < nameAndHosts.length; i += 2) {
      String name = (String) nameAndHosts[i];
      @SuppressWarnings("unchecked")
      List<String> hosts = (List<String>) nameAndHosts[i + 1];
      configs.add(OriginConfig.of("http://127.0.0.1:1").withRoute(name, hosts));
      clients.add(named(name));
    }
    return new OriginRouter(configs, clients);
  }

  @Test
  void theMostSpecificRouteWins() {
    OriginRouter r = router(
        "fallback", List.of("*"),
        "wild", List.of("*.example.com"),
        "www", List.of("www.example.com"),
        "static", List.of("www.example.com/static/"),
        "thumbs", List.of("*.example.com/thumbs/"));
    assertThat(r.originFor("www.example.com", "/index.html")).isEqualTo("www");
    assertThat(r.originFor("WWW.Example.com:8080", "/static/a.css")).isEqualTo("static");
    assertThat(r.originFor("img.example.com", "/a.jpg")).isEqualTo("wild");
    assertThat(r.originFor("img.example.com", "/thumbs/a.jpg")).isEqualTo("thumbs");
    assertThat(r.originFor("www.example.com", "/thumbs/a.jpg")).as("an exact host beats a wildcard").isEqualTo("www");
    assertThat(r.originFor("example.com", "/")).as("*.example.com does not match example.com").isEqualTo("fallback");
    assertThat(r.originFor("other.org", "/")).isEqualTo("fallback");
  }

  @Test
  void withoutACatchAllUnknownHostsHaveNoOrigin() {
    OriginRouter r = router("www", List.of("www.example.com"), "img", List.of("img.example.com/photos/"));
    assertThat(r.originFor("evil.example.com", "/")).isNull();
    assertThat(r.originFor("img.example.com", "/other/x.jpg")).isNull();
    assertThat(r.originFor("[::1]:8080", "/")).isNull();
    assertThat(r.originFor("img.example.com", "/photos/x.jpg")).isEqualTo("img");
  }
}
