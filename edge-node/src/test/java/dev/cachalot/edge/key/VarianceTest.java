package dev.cachalot.edge.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VarianceTest {
  @Test
  void namesAreLowerCasedAndDeduplicated() {
    assertThat(Variance.names("Accept-Encoding,  accept-encoding ,Origin")).containsExactly("accept-encoding", "origin");
    assertThat(Variance.names(null)).isEmpty();
  }

  @Test
  void matchingNormalisesWhitespaceAndCaseInsensitiveFields() {
    String[] names = {"accept-encoding", "x-token"};
    Variance v = Variance.of(names, Map.of("accept-encoding", "GZIP,  br", "x-token", "Abc")::get);
    assertThat(v.matches(Map.of("accept-encoding", "gzip, br", "x-token", "Abc")::get)).isTrue();
    assertThat(v.matches(Map.of("accept-encoding", "gzip, br", "x-token", "abc")::get)).as("case matters").isFalse();
    assertThat(v.matches(Map.of("accept-encoding", "gzip, br")::get)).as("absent vs present").isFalse();
    Variance absent = Variance.of(new String[] {"x-a"}, Map.<String, String>of()::get);
    assertThat(absent.matches(Map.<String, String>of()::get)).isTrue();
  }
}
