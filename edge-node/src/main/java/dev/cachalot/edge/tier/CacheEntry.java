package dev.cachalot.edge.tier;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Everything stored under one primary key: one response, or several variants selected by {@code Vary}, newest
 * first. Immutable.
 */
public final class CacheEntry {
  /** More variants than this (e.g. {@code Vary: User-Agent}) evict the oldest. */
  public static final int MAX_VARIANTS = 16;

  private final List<StoredResponse> variants;
  private final long weight;

  private CacheEntry(List<StoredResponse> variants) {
    this.variants = variants;
    long w = 64;
    for (StoredResponse v : variants) {
      w += v.weight();
    }
    this.weight = w;
  }

  public static CacheEntry of(StoredResponse response) {
    return new CacheEntry(List.of(response));
  }

  /** This entry with {@code response} added, replacing the variant with the same variance. */
  public CacheEntry with(StoredResponse response) {
    List<StoredResponse> next = new ArrayList<>(variants.size() + 1);
    next.add(response);
    for (StoredResponse v : variants) {
      if (!v.variance().sameAs(response.variance()) && next.size() < MAX_VARIANTS) {
        next.add(v);
      }
    }
    return new CacheEntry(List.copyOf(next));
  }

  /** The newest variant whose Vary fields match the request, or null ({@code joinedField} reads request fields). */
  public @Nullable StoredResponse select(Function<String, @Nullable String> joinedField) {
    for (StoredResponse v : variants) {
      if (v.variance().matches(joinedField)) {
        return v;
      }
    }
    return null;
  }

  public List<StoredResponse> variants() {
    return variants;
  }

  public long weight() {
    return weight;
  }
}
