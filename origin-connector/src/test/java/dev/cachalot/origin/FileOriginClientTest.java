package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.config.OriginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOriginClientTest {
  @TempDir Path root;

  private OriginResponse fetch(OriginClient c, String target, String... headers) {
    return c.fetch(new OriginRequest("GET", target, "h", HttpFields.of(headers), null)).join();
  }

  @Test
  void servesFilesWithValidatorsConditionalsAndRanges() throws Exception {
    Files.createDirectories(root.resolve("img"));
    Files.writeString(root.resolve("img/a b.jpg"), "0123456789");
    Files.writeString(root.getParent().resolve("secret.txt"), "nope");
    try (OriginClient c = OriginClients.create(OriginConfig.of(root.toUri().toString()))) {
      OriginResponse ok = fetch(c, "/img/a%20b.jpg?v=1");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.headers().get("Content-Type")).isEqualTo("image/jpeg");
      assertThat(ok.headers().get("Cache-Control")).isEqualTo(OriginConfig.DEFAULT_FILE_CACHE_CONTROL);
      assertThat(new String(ok.body().readAllBytes())).isEqualTo("0123456789");
      String etag = ok.headers().get("ETag");
      ok.close();

      assertThat(fetch(c, "/img/a%20b.jpg", "If-None-Match", etag).status()).isEqualTo(304);
      assertThat(fetch(c, "/img/a%20b.jpg", "If-Modified-Since", ok.headers().get("Last-Modified")).status())
          .isEqualTo(304);
      OriginResponse range = fetch(c, "/img/a%20b.jpg", "Range", "bytes=2-4");
      assertThat(range.status()).isEqualTo(206);
      assertThat(range.headers().get("Content-Range")).isEqualTo("bytes 2-4/10");
      assertThat(new String(range.body().readAllBytes())).isEqualTo("234");
      assertThat(fetch(c, "/img/a%20b.jpg", "Range", "bytes=50-").status()).isEqualTo(416);

      assertThat(fetch(c, "/missing.jpg").status()).isEqualTo(404);
      for (String escape : new String[] {"/../secret.txt", "/img/..%2F..%2Fsecret.txt", "/%2e%2e/secret.txt",
          "/img/%00x"}) {
        assertThat(fetch(c, escape).status()).as(escape).isEqualTo(404);
      }
      assertThat(c.fetch(new OriginRequest("PUT", "/x", "h", HttpFields.EMPTY, new byte[0])).join().status())
          .isEqualTo(405);
    }
  }

  @Test
  void httpDatesParseAllThreeFormats() {
    long t = HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(t);
    assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(t);
    assertThat(HttpDates.format(t)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDates.parse("0")).isEqualTo(HttpDates.INVALID);
    assertThat(HttpDates.parse("Sun, 32 Nov 1994 08:49:37 GMT")).isEqualTo(HttpDates.INVALID);
  }
}
