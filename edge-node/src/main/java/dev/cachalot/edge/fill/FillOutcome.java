package dev.cachalot.edge.fill;

import dev.cachalot.edge.tier.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * What a leader's fetch means for the requests that waited on it.
 *
 * @param response the stored response, for {@link Kind#STORED}; the object's description, for {@link Kind#SLICED}
 * @param error why it failed, for {@link Kind#FAILED}
 * @param live the body as it arrives, for {@link Kind#STREAMING}
 */
public record FillOutcome(Kind kind, @Nullable StoredResponse response, @Nullable Throwable error,
    @Nullable LiveFill live) {
  /** The kinds of outcome. */
  public enum Kind {
    /** Stored: followers serve it if their Vary fields match. */
    STORED,
    /** The response could not be shared (private, too large, not storable): followers fetch on their own. */
    NOT_SHAREABLE,
    /** The origin failed or answered 5xx: followers serve stale if allowed. */
    FAILED,
    /**
     * The leader found the key stored after all, by a fill that ended between its lookup and its join, and served
     * it: followers look it up again.
     */
    OVERTAKEN,
    /** Early news: the body is arriving and being stored; followers may stream it as it comes. */
    STREAMING,
    /** Early news: the object is large and is being stored as slices; followers read it slice by slice. */
    SLICED,
  }

  public static FillOutcome stored(StoredResponse r) {
    return new FillOutcome(Kind.STORED, r, null, null);
  }

  public static FillOutcome notShareable() {
    return new FillOutcome(Kind.NOT_SHAREABLE, null, null, null);
  }

  public static FillOutcome failed(@Nullable Throwable error) {
    return new FillOutcome(Kind.FAILED, null, error, null);
  }

  public static FillOutcome overtaken() {
    return new FillOutcome(Kind.OVERTAKEN, null, null, null);
  }

  public static FillOutcome streaming(LiveFill live) {
    return new FillOutcome(Kind.STREAMING, live.head(), null, live);
  }

  public static FillOutcome sliced(StoredResponse description) {
    return new FillOutcome(Kind.SLICED, description, null, null);
  }
}
