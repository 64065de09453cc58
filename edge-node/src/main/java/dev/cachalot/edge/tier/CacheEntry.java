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
  /** Handed out by in-memory lookups, so a hit allocates no future. Never completed by anyone else. */
  private final java.util.concurrent.CompletableFuture<@Nullable CacheEntry> completed;

  private final BodyPool.@Nullable Lease lease;

  private CacheEntry(List<StoredResponse> variants) {
    this(variants, null);
  }

  private CacheEntry(List<StoredResponse> variants, BodyPool.@Nullable Lease lease) {
    this.variants = variants;
    this.lease = lease;
    long w = 64;
    for (StoredResponse v : variants) {
      w += v.weight();
    }
    this.weight = w;
    this.completed = java.util.concurrent.CompletableFuture.<@Nullable CacheEntry>completedFuture(this);
  }

  /** This entry as an already-completed lookup result. */
  public java.util.concurrent.CompletableFuture<@Nullable CacheEntry> asCompletedLookup() {
    return completed;
  }

  /** The only response, when it does not vary; null otherwise (then use {@link #select}). */
  public @Nullable StoredResponse invariant() {
    StoredResponse only = variants.get(0);
    return variants.size() == 1 && only.variance().names().length == 0 ? only : null;
  }

  /** Variants read into a lent buffer, newest first. */
  static CacheEntry lent(List<StoredResponse> variants, BodyPool.Lease lease) {
    return new CacheEntry(List.copyOf(variants), lease);
  }

  public static CacheEntry of(StoredResponse response) {
    return new CacheEntry(List.of(response));
  }

  /** This entry with {@code response} added, replacing the variant with the same variance. */
  public CacheEntry with(StoredResponse response) {
    if (lease != null || response.lent()) {
      throw new IllegalStateException("a lent body cannot be stored; copy it with onHeap() first");
    }
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

  /** True when a variant's body is lent ({@link StoredResponse#lent()}): call {@link #release} when sent. */
  public boolean lent() {
    return lease != null;
  }

  /** This entry with every body on the heap; a lent entry is copied and its buffer given back. */
  public CacheEntry onHeap() {
    if (lease == null) {
      return this;
    }
    List<StoredResponse> copies = new ArrayList<>(variants.size());
    for (StoredResponse v : variants) {
      copies.add(v.onHeap());
    }
    release();
    return new CacheEntry(List.copyOf(copies), null);
  }

  /** Gives a lent body's buffer back; nothing for a heap entry. After this, a lent body cannot be read. */
  public void release() {
    if (lease != null) {
      lease.release();
    }
  }

  public List<StoredResponse> variants() {
    return variants;
  }

  public long weight() {
    return weight;
  }
}
