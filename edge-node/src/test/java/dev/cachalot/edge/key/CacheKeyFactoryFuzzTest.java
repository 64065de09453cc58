package dev.cachalot.edge.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Any Host and request target: building a key never throws; a key, once built, is its own normal form (building it
 * again from its parts gives the same key); and it never contains a space, which slice keys rely on. The long run
 * is in {@code mvn -Pslow verify}.
 */
class CacheKeyFactoryFuzzTest {
  private static final String[] HOSTS = {"Example.COM", "example.com.", "example.com:80", "example.com:443",
      "EXAMPLE.com:8080", "[::1]", "[::1]:80", "127.0.0.1", "h", "", " ", "a b", "x:", ":80", "h:99999", "h:-1",
      "\u00e9.com", "h..", "h/x", "h?x", "h@x"};
  private static final String[] PATH = {"/", "a", "%2f", "%2F", "%", "%zz", "%e9", "?", "&", "=", "#", " ", "\t",
      "..", ".", "//", "\u00e9", "~", "+", "%20"};

  @Test
  void keysAreTheirOwnNormalFormFixedSeed() {
    fuzz(3, 20_000);
  }

  @Tag("slow")
  @Test
  void keysAreTheirOwnNormalFormRandomSeeds() {
    fuzz(System.nanoTime(), 20_000_000);
  }

  private static void fuzz(long seed, int cases) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < cases; i++) {
      String scheme = r.nextBoolean() ? "http" : "https";
      String host = HOSTS[r.nextInt(HOSTS.length)];
      StringBuilder path = new StringBuilder("/");
      int n = r.nextInt(10);
      for (int p = 0; p < n; p++) {
        path.append(PATH[r.nextInt(PATH.length)]);
      }
      String target = r.nextInt(4) == 0 ? scheme + "://" + host + path : path.toString();
      CacheKey key = CacheKeyFactory.of(scheme, r.nextInt(8) == 0 ? null : host, target);
      if (key == null) {
        continue;
      }
      String why = String.format("seed %d: Host '%s', target '%s' -> %s", seed, host, target, key.url());
      assertThat(key.url()).as(why).doesNotContain(" ");
      String rest = key.url().substring(scheme.length() + 3 + key.host().length());
      assertThat(CacheKeyFactory.of(scheme, key.host(), rest)).as(why).isEqualTo(key);
    }
  }
}
