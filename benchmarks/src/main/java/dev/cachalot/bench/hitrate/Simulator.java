package dev.cachalot.bench.hitrate;

import java.util.function.LongFunction;

/** Replays a trace through a policy and counts object and byte hits. */
public final class Simulator {
  private Simulator() {}

  /** Object hit ratio (hits / requests) and byte hit ratio (hit bytes / requested bytes). */
  public record Result(String trace, String policy, long capacity, long requests, long hits, long bytes,
      long hitBytes) {
    public double objectHitRatio() {
      return requests == 0 ? 0 : (double) hits / requests;
    }

    public double byteHitRatio() {
      return bytes == 0 ? 0 : (double) hitBytes / bytes;
    }
  }

  public static Result run(Trace trace, String policy, long capacity) {
    Policy p = create(trace, policy).apply(capacity);
    try {
      return replay(trace, p, capacity);
    } finally {
      if (p instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // nothing left to report
        }
      }
    }
  }

  private static Result replay(Trace trace, Policy p, long capacity) {
    long hits = 0;
    long bytes = 0;
    long hitBytes = 0;
    long[] keys = trace.keys();
    for (int i = 0; i < keys.length; i++) {
      int size = trace.size(i);
      bytes += size;
      if (p.access(i, keys[i], size)) {
        hits++;
        hitBytes += size;
      }
    }
    return new Result(trace.name(), p.name(), capacity, keys.length, hits, bytes, hitBytes);
  }

  static LongFunction<Policy> create(Trace trace, String policy) {
    PolicySpec spec = PolicySpec.parse(policy);
    return switch (spec.family()) {
      case "lru" -> noNumbers(spec, LruPolicy::new);
      case "belady" -> noNumbers(spec, capacity -> new BeladyPolicy(trace, capacity));
      case "cachalot" -> noNumbers(spec, CachalotPolicy::new);
      case "mapped" -> noNumbers(spec, capacity -> new MappedPolicy(capacity, true));
      case "mapped-fifo" -> noNumbers(spec, capacity -> new MappedPolicy(capacity, false));
      case "cachalot-cap", "cachalot-exp", "cachalot-2hit" -> capacity -> CachalotPolicy.variant(policy, capacity);
      // size-aware experiments (docs/benchmarks.md): references and prototypes, not the edge's code
      case "gdsf" -> capacity -> new GdsfPolicy(capacity, spec);
      case "oracle" -> capacity -> new OraclePolicy(trace, capacity, spec);
      case "ttl" -> capacity -> new TtlPolicy(capacity, spec);
      case "gated" -> capacity -> new GatedPolicy(capacity, spec);
      case "classes" -> capacity -> new ClassesPolicy(capacity, spec);
      default -> throw new IllegalArgumentException("unknown policy '" + policy + "' (lru, belady, cachalot, "
          + "cachalot-cap:SHARE, cachalot-exp:SHARE, cachalot-2hit:SHARE, mapped, mapped-fifo, gdsf:B, "
          + "oracle[:HORIZON[:MAXSIZE]], ttl:B[:K[:EVERY[:STEP]]], gated:B[:VICTIMS[:RESET]], "
          + "classes:B[:EVERY[:GHOST[:STEP[:CLASSES]]]])");
    };
  }

  private static LongFunction<Policy> noNumbers(PolicySpec spec, LongFunction<Policy> policy) {
    spec.atMost(0);
    return policy;
  }
}
