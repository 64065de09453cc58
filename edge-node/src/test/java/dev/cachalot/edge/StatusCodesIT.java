package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which statuses are stored (RFC 9111 §3, RFC 9110 §15.1). */
class StatusCodesIT extends EdgeTestBase {

  private boolean storedAfterOne(String path, int status, String... headers) throws Exception {
    enqueue(status, "first", headers);
    Result a = get(path);
    assertThat(a.code()).isEqualTo(status);
    int before = originRequests();
    enqueue(status, "second", headers);
    boolean stored = get(path).body().equals("first");
    if (stored) {
      assertThat(originRequests()).isEqualTo(before);
      get("/drain-" + path.substring(1)); // consume the unused second response
    }
    return stored;
  }

  @Test
  void explicitFreshnessStoresAnyUnderstoodStatus() throws Exception {
    for (int status : new int[] {200, 203, 301, 302, 307, 308, 404, 405, 410, 414, 451, 500, 501, 502, 503}) {
      assertThat(storedAfterOne("/x" + status, status, "Cache-Control", "max-age=60", "Location", "/elsewhere"))
          .as("status %d with max-age", status).isTrue();
    }
  }

  @Test
  void heuristicFreshnessOnlyForHeuristicallyCacheableStatuses() throws Exception {
    String lm = date(-10_000);
    assertThat(storedAfterOne("/h404", 404, "Last-Modified", lm)).isTrue();
    assertThat(storedAfterOne("/h410", 410, "Last-Modified", lm)).isTrue();
    assertThat(storedAfterOne("/h302", 302, "Last-Modified", lm, "Location", "/x")).isFalse();
    assertThat(storedAfterOne("/h500", 500, "Last-Modified", lm)).isFalse();
    assertThat(storedAfterOne("/h403", 403, "Last-Modified", lm)).isFalse();
    assertThat(storedAfterOne("/hpub", 403, "Last-Modified", lm, "Cache-Control", "public"))
        .as("public allows heuristics for any status").isTrue();
  }

  @Test
  void partialContentFromTheOriginIsNotStored() throws Exception {
    assertThat(storedAfterOne("/p", 206, "Cache-Control", "max-age=60", "Content-Range", "bytes 0-4/100")).isFalse();
  }

  @Test
  void noStoreAndPrivateAreNotStored() throws Exception {
    assertThat(storedAfterOne("/ns", 200, "Cache-Control", "max-age=60, no-store")).isFalse();
    assertThat(storedAfterOne("/pr", 200, "Cache-Control", "max-age=60, private")).isFalse();
    assertThat(storedAfterOne("/mu", 200, "Cache-Control", "max-age=60, no-store, must-understand"))
        .as("must-understand with a known status overrides no-store").isTrue();
  }

  @Test
  void privateWithFieldNamesStoresTheRestOfTheResponse() throws Exception {
    enqueue(200, "body", "Cache-Control", "max-age=60, private=\"X-User\"", "X-User", "alice", "X-Other", "o");
    assertThat(get("/pf").header("X-User")).isEqualTo("alice");
    Result hit = get("/pf");
    assertThat(hit.hit()).isTrue();
    assertThat(hit.header("X-User")).isNull();
    assertThat(hit.header("X-Other")).isEqualTo("o");
  }
}
