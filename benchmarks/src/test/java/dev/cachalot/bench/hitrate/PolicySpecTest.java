package dev.cachalot.bench.hitrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicySpecTest {
  private static final Trace TRACE = new Trace("t", new long[] {1, 2, 1}, new int[] {10, 10, 10});

  @Test
  void badPolicyNamesAreClearErrors() {
    assertThatThrownBy(() -> Simulator.run(TRACE, "gdsf", 100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy 'gdsf' needs B, the weight of bytes (0 to 1), as in gdsf:0.25");
    assertThatThrownBy(() -> Simulator.run(TRACE, "ttl:x", 100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy 'ttl:x': B, the weight of bytes (0 to 1) must be a number, not 'x'");
    assertThatThrownBy(() -> Simulator.run(TRACE, "lru:3", 100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy 'lru:3': 'lru' takes no numbers");
    assertThatThrownBy(() -> Simulator.run(TRACE, "nope", 100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown policy 'nope' (lru, belady");
  }

  @Test
  void optionalNumbersTakeTheirDefaults() {
    PolicySpec spec = PolicySpec.parse("ttl:0.35:10000");
    assertThat(spec.number(0, "B")).isEqualTo(0.35);
    assertThat(spec.number(1, "K", 1000)).isEqualTo(10000);
    assertThat(spec.number(2, "EVERY", 100)).isEqualTo(100);
    assertThat(Simulator.run(TRACE, "oracle", 100).hits()).isEqualTo(1);
  }
}
