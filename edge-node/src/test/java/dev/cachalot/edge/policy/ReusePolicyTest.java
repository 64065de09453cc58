package dev.cachalot.edge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.edge.policy.ReusePolicy.Reuse;
import org.junit.jupiter.api.Test;

class ReusePolicyTest {
  private static final long T0 = 1_000_000_000_000L;

  private static Freshness f(long lifetimeSec, long swrSec, long sieSec, int flags) {
    return new Freshness(lifetimeSec * 1000, 0, T0, swrSec < 0 ? -1 : swrSec * 1000, sieSec < 0 ? -1 : sieSec * 1000,
        flags);
  }

  @Test
  void freshStaleAndRequestDirectives() {
    Freshness x = f(60, -1, -1, 0);
    assertThat(ReusePolicy.decide(x, CacheControl.EMPTY, T0 + 59_000)).isEqualTo(Reuse.FRESH);
    assertThat(ReusePolicy.decide(x, CacheControl.EMPTY, T0 + 60_000)).isEqualTo(Reuse.VALIDATE);
    assertThat(ReusePolicy.decide(x, CacheControl.parse("max-age=10"), T0 + 11_000)).isEqualTo(Reuse.VALIDATE);
    assertThat(ReusePolicy.decide(x, CacheControl.parse("max-stale=5"), T0 + 64_000)).isEqualTo(Reuse.STALE_ACCEPTED);
    assertThat(ReusePolicy.decide(x, CacheControl.parse("no-cache"), T0)).isEqualTo(Reuse.VALIDATE);
  }

  @Test
  void staleWhileRevalidateWindow() {
    Freshness x = f(10, 30, -1, 0);
    assertThat(ReusePolicy.decide(x, CacheControl.EMPTY, T0 + 40_000)).isEqualTo(Reuse.STALE_WHILE_REVALIDATE);
    assertThat(ReusePolicy.decide(x, CacheControl.EMPTY, T0 + 40_001)).isEqualTo(Reuse.VALIDATE);
    assertThat(ReusePolicy.decide(f(10, 30, -1, Freshness.NO_STALE), CacheControl.EMPTY, T0 + 20_000))
        .isEqualTo(Reuse.VALIDATE);
  }

  @Test
  void staleOnErrorRules() {
    assertThat(ReusePolicy.staleOnError(f(10, -1, 60, 0), CacheControl.EMPTY, T0 + 70_000, 0)).isTrue();
    assertThat(ReusePolicy.staleOnError(f(10, -1, 60, 0), CacheControl.EMPTY, T0 + 70_001, 0)).isFalse();
    assertThat(ReusePolicy.staleOnError(f(10, -1, -1, 0), CacheControl.EMPTY, T0 + 20_000, 10_000)).isTrue();
    assertThat(ReusePolicy.staleOnError(f(10, -1, 60, Freshness.NO_STALE), CacheControl.EMPTY, T0 + 20_000, 0))
        .isFalse();
    assertThat(ReusePolicy.staleOnError(f(10, -1, 60, Freshness.NO_CACHE), CacheControl.EMPTY, T0 + 20_000, 0))
        .isFalse();
    assertThat(ReusePolicy.staleOnError(f(10, -1, -1, 0), CacheControl.parse("stale-if-error=100"), T0 + 50_000, 0))
        .isTrue();
  }
}
