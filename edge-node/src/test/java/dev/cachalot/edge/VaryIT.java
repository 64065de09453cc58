package dev.cachalot.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Variants under one primary key, chosen by the fields Vary nominates (RFC 9111 §4.1). */
class VaryIT extends EdgeTestBase {

  @Test
  void eachVariantIsStoredAndSelected() throws Exception {
    enqueueFresh("gzip-body", 600, "Vary", "Accept-Encoding", "Content-Encoding", "gzip");
    enqueueFresh("plain-body", 600, "Vary", "Accept-Encoding");
    assertThat(get("/v", "Accept-Encoding", "gzip").body()).isEqualTo("gzip-body");
    Result other = get("/v", "Accept-Encoding", "identity");
    assertThat(other.body()).isEqualTo("plain-body");
    assertThat(other.cacheStatus()).startsWith("cachalot; fwd=vary-miss");
    assertThat(get("/v", "Accept-Encoding", "gzip").body()).isEqualTo("gzip-body");
    assertThat(get("/v", "Accept-Encoding", "identity").body()).isEqualTo("plain-body");
    assertThat(originRequests()).isEqualTo(2);
  }

  @Test
  void valuesAreNormalisedWhereTheSpecAllows() throws Exception {
    enqueueFresh("b", 600, "Vary", "accept-encoding, Accept-Language");
    get("/n", "Accept-Encoding", "gzip,br", "Accept-Language", "EN-us");
    assertThat(get("/n", "Accept-Encoding", "GZIP, br", "Accept-Language", "en-US").hit()).isTrue();
    enqueueFresh("c", 600, "Vary", "accept-encoding, Accept-Language");
    Result reordered = get("/n", "Accept-Encoding", "br, gzip", "Accept-Language", "en-US");
    assertThat(reordered.cacheStatus()).as("order is meaningful").startsWith("cachalot; fwd=vary-miss");
    assertThat(reordered.body()).isEqualTo("c");
  }

  @Test
  void varyFieldsSpreadOverLinesAndAbsentFieldsMatch() throws Exception {
    enqueue(200, "b", "Cache-Control", "max-age=600", "Vary", "X-A", "Vary", "X-B");
    get("/lines", "X-A", "1");
    assertThat(get("/lines", "X-A", "1").hit()).isTrue();
    enqueueFresh("c", 600, "Vary", "X-A, X-B");
    assertThat(get("/lines", "X-A", "1", "X-B", "2").body()).as("X-B was absent when stored").isEqualTo("c");
  }

  @Test
  void varyStarNeverMatches() throws Exception {
    enqueueFresh("1", 600, "Vary", "*");
    enqueueFresh("2", 600, "Vary", "*");
    get("/star");
    assertThat(get("/star").body()).isEqualTo("2");
  }
}
