package dev.cachalot.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CacheControlTest {
  @Test
  void parsesTokensQuotedStringsAndIgnoresUnknowns() {
    CacheControl cc = CacheControl.parse("Public, MAX-AGE=\"60\", foo=\"a, b\", s-maxage=5, no-cache=\"Set-Cookie\"");
    assertThat(cc.isPublic()).isTrue();
    assertThat(cc.maxAge()).isEqualTo(60);
    assertThat(cc.sMaxAge()).isEqualTo(5);
    assertThat(cc.noCache()).isTrue();
    assertThat(cc.invalidFreshness()).isFalse();
  }

  @Test
  void badOrConflictingFreshnessIsInvalid() {
    assertThat(CacheControl.parse("max-age=1x").invalidFreshness()).isTrue();
    assertThat(CacheControl.parse("max-age").invalidFreshness()).isTrue();
    assertThat(CacheControl.parse("max-age=1, max-age=2").invalidFreshness()).isTrue();
    assertThat(CacheControl.parse("max-age=1, max-age=1").invalidFreshness()).isFalse();
    assertThat(CacheControl.parse("max-age=99999999999999").maxAge()).isEqualTo(CacheControl.MAX_DELTA);
  }

  @Test
  void requestDirectives() {
    CacheControl cc = CacheControl.parse("max-stale, min-fresh=10, only-if-cached, no-store");
    assertThat(cc.maxStale()).isEqualTo(CacheControl.ANY);
    assertThat(cc.minFresh()).isEqualTo(10);
    assertThat(cc.onlyIfCached()).isTrue();
    assertThat(cc.noStore()).isTrue();
    assertThat(CacheControl.parse("max-stale=7").maxStale()).isEqualTo(7);
  }

  @Test
  void privateWithFieldsListsThem() {
    CacheControl cc = CacheControl.parse("private=\"X-A, x-b\"");
    assertThat(cc.isPrivate()).isFalse();
    assertThat(cc.privateFields()).containsExactlyInAnyOrder("x-a", "x-b");
  }

  @Test
  void targetedFieldsAreStructuredDictionaries() {
    assertThat(CacheControl.parseTargeted("max-age=60, must-revalidate").maxAge()).isEqualTo(60);
    assertThat(CacheControl.parseTargeted("max-age=60;p=1, no-store").noStore()).isTrue();
    for (String bad : List.of("max-age=60,,", "MAX-AGE=60", "max-age=60 junk", "", "max-age=")) {
      assertThat(CacheControl.parseTargeted(bad)).as(bad).isNull();
    }
    assertThat(CacheControl.parseTargeted("max-age=\"60\"").invalidFreshness()).as("a string is not an integer")
        .isTrue();
    assertThat(CacheControl.parseTargeted("max-age=1.5").invalidFreshness()).isTrue();
  }

  @Test
  void ageField() {
    assertThat(AgeField.parse(List.of("10"))).isEqualTo(10);
    assertThat(AgeField.parse(List.of(" 10 "))).isEqualTo(10);
    assertThat(AgeField.parse(List.of("10, 20"))).isEqualTo(10);
    assertThat(AgeField.parse(List.of("10", "20"))).isEqualTo(10);
    assertThat(AgeField.parse(List.of("-1"))).isZero();
    assertThat(AgeField.parse(List.of("abc"))).isZero();
    assertThat(AgeField.parse(List.of("1e3"))).isZero();
    assertThat(AgeField.parse(List.of("9999999999999999999999"))).isEqualTo(CacheControl.MAX_DELTA);
    assertThat(AgeField.parse(List.of())).isZero();
  }
}
