package dev.cachalot.bench.hitrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecondHitAdmissionTest {
  @Test
  void largeObjectsAreStoredOnTheirSecondRequestSmallOnesAtOnce() {
    CachalotPolicy p = CachalotPolicy.variant("cachalot-2hit:0.1", 10_000);
    assertThat(p.access(0, 1, 2_000)).as("large, first request").isFalse();
    assertThat(p.access(1, 1, 2_000)).as("large, second request: stored now").isFalse();
    assertThat(p.access(2, 1, 2_000)).as("large, third request").isTrue();
    assertThat(p.access(3, 2, 500)).as("small, first request").isFalse();
    assertThat(p.access(4, 2, 500)).as("small, second request").isTrue();
    assertThat(p.name()).isEqualTo("cachalot-2hit:0.1");
  }
}
