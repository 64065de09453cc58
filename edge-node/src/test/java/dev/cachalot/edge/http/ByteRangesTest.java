package dev.cachalot.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangesTest {
  @Test
  void resolvesAgainstTheLength() {
    assertThat(ByteRanges.parse("bytes=0-0", 10)).containsExactly(new ByteRanges.Range(0, 0));
    assertThat(ByteRanges.parse("bytes=-3", 10)).containsExactly(new ByteRanges.Range(7, 9));
    assertThat(ByteRanges.parse("bytes=-30", 10)).containsExactly(new ByteRanges.Range(0, 9));
    assertThat(ByteRanges.parse("bytes=5-", 10)).containsExactly(new ByteRanges.Range(5, 9));
    assertThat(ByteRanges.parse("BYTES = 1-2", 10)).isNull();
    assertThat(ByteRanges.parse("bytes=10-", 10)).isEmpty();
    assertThat(ByteRanges.parse("bytes=-0", 10)).isEmpty();
    assertThat(ByteRanges.parse("bytes=0-1,5-6", 10)).hasSize(2);
    assertThat(ByteRanges.parse("bytes=99999999999999999999-", 10)).isEmpty();
    assertThat(ByteRanges.parse("bytes=" + "0-0,".repeat(64) + "0-0", 10)).as("too many ranges").isNull();
  }
}
