package dev.cachalot.bench.hitrate;

import dev.cachalot.config.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cachalot simulate --trace FILE [--format F] [--sizes 0.5%,5%,100000] [--policies lru,cachalot,belady]
 * [--csv]}: object and byte hit ratio per policy and cache size. A size with {@code %} is a share of the trace's
 * unique bytes (of its distinct keys for key-only traces); otherwise a count of entries for key-only traces, or
 * bytes ({@code 64MiB}) for traces with sizes.
 */
public final class Simulate {
  private Simulate() {}

  public static void main(String[] args) throws IOException {
    try {
      run(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("cachalot simulate: " + e.getMessage());
      System.exit(2);
    }
  }

  static void run(String[] args, PrintStream out) throws IOException {
    Path trace = null;
    String format = null;
    String sizes = "0.5%,1%,5%,10%";
    String policies = "lru,cachalot,belady";
    boolean csv = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--trace" -> trace = Path.of(value(args, ++i, "--trace"));
        case "--format" -> format = value(args, ++i, "--format");
        case "--sizes" -> sizes = value(args, ++i, "--sizes");
        case "--policies" -> policies = value(args, ++i, "--policies");
        case "--csv" -> csv = true;
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    if (trace == null) {
      throw new IllegalArgumentException("--trace FILE is required");
    }
    Trace t = format == null ? TraceReaders.read(trace) : TraceReaders.read(trace, format);
    long unique = t.uniqueBytes();
    List<Simulator.Result> results = new ArrayList<>();
    for (String size : sizes.split(",")) {
      long capacity = capacity(size.trim(), unique, t.hasSizes());
      for (String policy : policies.split(",")) {
        results.add(Simulator.run(t, policy.trim(), capacity));
      }
    }
    if (csv) {
      out.println("trace,policy,capacity,requests,object_hit_ratio,byte_hit_ratio");
      for (Simulator.Result r : results) {
        out.printf(Locale.ROOT, "%s,%s,%d,%d,%.4f,%.4f%n", r.trace(), r.policy(), r.capacity(), r.requests(),
            r.objectHitRatio(), r.byteHitRatio());
      }
      return;
    }
    out.printf(Locale.ROOT, "%s: %,d requests, %,d distinct objects, %s unique%n%n", t.name(), t.length(),
        t.distinctKeys(), t.hasSizes() ? String.format(Locale.ROOT, "%.1f MB", unique / 1e6) : unique + " keys");
    out.println("| capacity | policy | object hit ratio | byte hit ratio |");
    out.println("|---|---|---|---|");
    for (Simulator.Result r : results) {
      String cap = t.hasSizes() ? String.format(Locale.ROOT, "%.1f MB (%.1f%%)", r.capacity() / 1e6,
          100.0 * r.capacity() / unique) : String.format(Locale.ROOT, "%,d", r.capacity());
      out.printf(Locale.ROOT, "| %s | %s | %.4f | %.4f |%n", cap, r.policy(), r.objectHitRatio(), r.byteHitRatio());
    }
  }

  static long capacity(String size, long unique, boolean bytes) {
    if (size.endsWith("%")) {
      double share = Double.parseDouble(size.substring(0, size.length() - 1)) / 100;
      return Math.max(1, Math.round(unique * share));
    }
    return bytes ? Sizes.parse(size) : Long.parseLong(size);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }
}
