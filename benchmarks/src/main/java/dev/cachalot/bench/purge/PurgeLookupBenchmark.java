package dev.cachalot.bench.purge;

import dev.cachalot.edge.key.CacheKey;
import dev.cachalot.edge.key.CacheKeyFactory;
import dev.cachalot.edge.key.Variance;
import dev.cachalot.edge.policy.Freshness;
import dev.cachalot.edge.purge.PurgeRecord;
import dev.cachalot.edge.purge.PurgeRules;
import dev.cachalot.edge.tier.StoredResponse;
import dev.cachalot.origin.HttpFields;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What lazy purges cost a lookup: {@link PurgeRules#verdict} for a stored object that no rule matches (the common
 * case), with 0 or 100,000 purges outstanding: a third exact URLs, a third path prefixes, a third tags, spread over
 * 100 hosts, the object's own host among them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PurgeLookupBenchmark {
  @Param({"0", "100000"})
  int outstanding;

  PurgeRules rules;
  CacheKey key;
  StoredResponse stored;

  @Setup
  public void setUp() {
    rules = new PurgeRules();
    long seq = 1;
    for (int i = 0; i < outstanding; i++) {
      String host = "h" + (i % 100) + ".example.com";
      List<String> none = List.of();
      PurgeRecord r = switch (i % 3) {
        case 0 -> new PurgeRecord(seq, "p", false, List.of("https://" + host + "/u/" + i + ".jpg"), none, none, none,
            false);
        case 1 -> new PurgeRecord(seq, "p", false, none, List.of("https://" + host + "/p/" + i + "/"), none, none,
            false);
        default -> new PurgeRecord(seq, "p", false, none, none, List.of("tag-" + i), List.of(host), false);
      };
      rules.applyForBenchmark(r, 1_000);
      seq++;
    }
    key = CacheKeyFactory.of("http", "h7.example.com", "/p/12345/photos/2026/whale-01.jpg?w=200");
    stored = new StoredResponse(200, HttpFields.of("Surrogate-Key", "album-1 user-9 site"), new byte[8192],
        new Freshness(600_000, 0, 2_000, 0, 0, 0), Variance.NONE, 2_000);
  }

  @Benchmark
  public PurgeRules.Verdict verdict() {
    return rules.verdict(key, stored);
  }
}
