package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3ObjectKeysTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /a.jpg                 | pre/a.jpg
      /dir/a%20b.jpg         | pre/dir/a b.jpg
      /plus+sign.jpg         | pre/plus+sign.jpg
      /pct%25.jpg            | pre/pct%.jpg
      /%E2%9C%93.jpg         | pre/✓.jpg
      /%252e%252e/secret     | pre/%2e%2e/secret
      /a.jpg?acl             | pre/a.jpg
      /..a/b..               | pre/..a/b..
      """)
  void mapsPathsUnderThePrefixDecodingOnce(String target, String key) {
    assertThat(S3ObjectKeys.of("pre/", target).key()).isEqualTo(key);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /../other/secret       | '.' and '..'
      /a/%2e%2e/b            | '.' and '..'
      /a/./b                 | '.' and '..'
      /..%2fsecret           | encoded slashes
      /a%2Fb                 | encoded slashes
      /a%5Cb                 | encoded slashes
      /a%00b                 | control characters
      /a%zz                  | invalid percent
      /a%C3                  | invalid percent
      /                      | no object
      /dir/                  | no object
      """)
  void refusesPathsThatCouldLeaveThePrefix(String target, String problem) {
    S3ObjectKeys.Key k = S3ObjectKeys.of("pre/", target);
    assertThat(k.key()).isNull();
    assertThat(k.problem()).contains(problem);
  }
}
