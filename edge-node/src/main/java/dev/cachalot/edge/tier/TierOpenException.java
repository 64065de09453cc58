package dev.cachalot.edge.tier;

/** A tier could not be opened; the message names the setting to fix. */
public final class TierOpenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TierOpenException(String message) {
    super(message);
  }

  public TierOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
