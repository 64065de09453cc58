package dev.cachalot.edge.key;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheKeyFactoryTest {
  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "http  | example.com        | /a.jpg             | http://example.com/a.jpg",
      "http  | EXAMPLE.com:80     | /a.jpg?w=1&h=2     | http://example.com/a.jpg?w=1&h=2",
      "https | example.com:443    | /                  | https://example.com/",
      "http  | example.com:8080   | /x                 | http://example.com:8080/x",
      "http  | example.com.       | /x                 | http://example.com/x",
      "http  | example.com        | /a%2fb?q=%2f       | http://example.com/a%2Fb?q=%2F",
      "http  | example.com        | /A.JPG             | http://example.com/A.JPG",
      "http  | ignored.example    | http://Other.Example/p?q | http://other.example/p?q",
      "http  | [::1]:8080         | /v6                | http://[::1]:8080/v6",
      "http  | NULL               | /x                 | NULL",
      "http  | bad host           | /x                 | NULL",
      "http  | example.com:99999  | /x                 | NULL",
      "http  | example.com:       | /x                 | NULL",
  })
  void keys(String scheme, String host, String target, String expected) {
    CacheKey key = CacheKeyFactory.of(scheme, host, target);
    assertThat(key == null ? null : key.url()).isEqualTo(expected);
  }
}
