package dev.cachalot.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineBufferTest {
  private static String text(LineBuffer b) {
    return b.drain().toString();
  }

  @Test
  void numbersAndMillis() {
    LineBuffer b = new LineBuffer(4);
    b.number(0).ascii(' ').number(7).ascii(' ').number(1234567890123L).ascii(' ').number(-42);
    assertThat(text(b)).isEqualTo("0 7 1234567890123 -42");
    b.millis(-1).ascii(' ').millis(0).ascii(' ').millis(81_000).ascii(' ').millis(1_005_000).ascii(' ').millis(12_345_678_000L);
    assertThat(text(b)).isEqualTo("- 0.000 0.081 1.005 12345.678");
    long[] edges = {9, 10, 99, 100, 999, 1000, 9999, 10_000, 99_999, 100_000, 8192, 1_000_001, Long.MAX_VALUE,
        Long.MIN_VALUE};
    StringBuilder expected = new StringBuilder();
    for (long v : edges) {
      b.number(v).ascii(' ');
      expected.append(v).append(' ');
    }
    assertThat(text(b)).isEqualTo(expected.toString());
    b.millis(1).ascii(' ').millis(999_999).ascii(' ').millis(10_010_000).ascii(' ').millis(Long.MAX_VALUE);
    assertThat(text(b)).isEqualTo("0.000 0.999 10.010 9223372036854.775");
  }

  @Test
  void plainTextIsCopiedAndTheBufferGrows() {
    LineBuffer b = new LineBuffer(2);
    b.ascii("GET").ascii(' ').escaped("/photos/a.jpg").ascii(' ').quoted("curl/8.5.0").ascii(' ').quoted(null);
    assertThat(text(b)).isEqualTo("GET /photos/a.jpg \"curl/8.5.0\" \"-\"");
    assertThat(b.length()).isZero();
  }

  @Test
  void clientTextIsEscapedToOneAsciiLine() {
    LineBuffer b = new LineBuffer(8);
    b.quoted("a\"b\\c\nd\te\u007ff\u00e9g\u0141h\uD83D\uDE00");
    assertThat(text(b)).isEqualTo("\"a\\\"b\\\\c\\x0ad\\x09e\\x7ff\\xc3\\xa9g\\xc5\\x81h\\xf0\\x9f\\x98\\x80\"");
  }

  @Test
  void aDrainedChunkIsTheBufferItselfAndAnArrayGivenBackIsReusedUnlessItGrewHuge() {
    LineBuffer b = new LineBuffer(8);
    b.ascii("abc");
    LineChunk first = b.drain();
    assertThat(first.length).isEqualTo(3);
    b.ascii("de");
    b.drain(first.bytes); // the appender gave the first array back: the buffer goes on in it
    b.ascii("gh");
    LineChunk third = b.drain();
    assertThat(third.bytes).isSameAs(first.bytes);
    assertThat(third.toString()).isEqualTo("gh");
    b.escaped("\u00e9".repeat(40)); // grows the array far past its usual size
    LineChunk grown = b.drain();
    assertThat(grown.bytes.length).isGreaterThan(16);
    b.ascii("f");
    b.drain(grown.bytes);
    b.ascii("i");
    assertThat(b.drain().bytes).as("a grown array is dropped").isNotSameAs(grown.bytes).hasSize(8);
  }
}
