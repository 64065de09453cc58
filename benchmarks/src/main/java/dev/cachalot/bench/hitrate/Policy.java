package dev.cachalot.bench.hitrate;

/** A replacement policy under simulation: one call per request, in trace order. */
public interface Policy {
  /**
   * @param index position in the trace (Belady looks ahead from it)
   * @return true on a hit
   */
  boolean access(int index, long key, int size);

  String name();
}
