package dev.cachalot.bench.hitrate;

import java.util.Arrays;

/** A policy as named on the command line: a family and its numbers, as in {@code ttl:0.35:10000}. */
record PolicySpec(String text, String family, String[] args) {
  static PolicySpec parse(String text) {
    String[] p = text.split(":", -1);
    return new PolicySpec(text, p[0], Arrays.copyOfRange(p, 1, p.length));
  }

  /** Refuses more numbers than the family takes, rather than ignore them. */
  PolicySpec atMost(int count) {
    if (args.length > count) {
      throw new IllegalArgumentException("policy '" + text + "': '" + family + "' takes "
          + (count == 0 ? "no numbers" : "at most " + count + (count == 1 ? " number" : " numbers")));
    }
    return this;
  }

  /** The {@code index}th number, which must be given. */
  double number(int index, String what) {
    if (index >= args.length) {
      throw new IllegalArgumentException("policy '" + text + "' needs " + what + ", as in " + family + ":0.25");
    }
    return number(index, what, 0);
  }

  /** The {@code index}th number, or {@code otherwise} when it is not given. */
  double number(int index, String what, double otherwise) {
    if (index >= args.length) {
      return otherwise;
    }
    try {
      return Double.parseDouble(args[index]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("policy '" + text + "': " + what + " must be a number, not '"
          + args[index] + "'");
    }
  }
}
