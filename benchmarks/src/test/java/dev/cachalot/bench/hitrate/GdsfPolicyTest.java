package dev.cachalot.bench.hitrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GdsfPolicyTest {
  @Test
  void evictsTheLargeOnceRequestedObjectBeforeTheSmallPopularOne() {
    GdsfPolicy p = new GdsfPolicy(100, PolicySpec.parse("gdsf:0.25"));
    p.access(0, 1, 80);
    p.access(1, 2, 10);
    assertThat(p.access(2, 2, 10)).isTrue();
    p.access(3, 3, 20); // needs 10 more bytes: one victim
    assertThat(p.access(4, 2, 10)).as("small, requested twice").isTrue();
    assertThat(p.access(5, 3, 20)).as("the newcomer").isTrue();
    assertThat(p.access(6, 1, 80)).as("large, requested once: evicted").isFalse();
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    GdsfPolicy p = new GdsfPolicy(100, PolicySpec.parse("gdsf:0"));
    p.access(0, 1, 60);
    p.access(1, 2, 60);
    assertThat(p.access(2, 1, 60)).as("the first was evicted to make room").isFalse();
    assertThat(p.access(3, 3, 101)).as("larger than the cache").isFalse();
  }
}
