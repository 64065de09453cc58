package dev.cachalot.edge.fill;

import dev.cachalot.edge.tier.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * What a leader's fetch means for the requests that waited on it.
 *
 * @param response the stored response, for {@link Kind#STORED}
 * @param error why it failed, for {@link Kind#FAILED}
 */
public record FillOutcome(Kind kind, @Nullable StoredResponse response, @Nullable Throwable error) {
  /** The kinds of outcome. */
  public enum Kind {
    /** Stored: followers serve it if their Vary fields match. */
    STORED,
    /** The response could not be shared (private, too large, not storable): followers fetch on their own. */
    NOT_SHAREABLE,
    /** The origin failed or answered 5xx: followers serve stale if allowed. */
    FAILED,
  }

  public static FillOutcome stored(StoredResponse r) {
    return new FillOutcome(Kind.STORED, r, null);
  }

  public static FillOutcome notShareable() {
    return new FillOutcome(Kind.NOT_SHAREABLE, null, null);
  }

  public static FillOutcome failed(@Nullable Throwable error) {
    return new FillOutcome(Kind.FAILED, null, error);
  }
}
