package dev.cachalot.edge.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrequencySketchTest {
  @Test
  void countToFullAnswersOnceEveryFullPlusOneCounts() {
    FrequencySketch sketch = new FrequencySketch(1000, 15);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 15; i++) {
        assertThat(sketch.countToFull(42)).as("round %d, count %d", round, i + 1).isFalse();
      }
      assertThat(sketch.countToFull(42)).as("round %d, count 16", round).isTrue();
    }
  }

  @Test
  void countsOfOtherKeysAreTheirOwn() {
    FrequencySketch sketch = new FrequencySketch(1000, 1);
    assertThat(sketch.countToFull(1)).isFalse();
    assertThat(sketch.countToFull(2)).isFalse();
    assertThat(sketch.countToFull(1)).isTrue();
    assertThat(sketch.countToFull(2)).isTrue();
  }

  @Test
  void refusesACountItCannotHold() {
    assertThatThrownBy(() -> new FrequencySketch(1000, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FrequencySketch(1000, 128)).isInstanceOf(IllegalArgumentException.class);
  }
}
