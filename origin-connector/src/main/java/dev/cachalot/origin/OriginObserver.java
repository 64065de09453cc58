package dev.cachalot.origin;

/**
 * Told about every attempt sent to an origin, so that metrics can be kept without the connector knowing about any
 * metrics library. Called on origin threads; implementations must be cheap and thread-safe.
 */
public interface OriginObserver {
  OriginObserver NONE = new OriginObserver() {};

  /** A response head arrived after {@code nanos}. */
  default void onResponse(String origin, int status, long nanos) {}

  /** The attempt failed before a response head ({@link OriginException.Kind}). */
  default void onFailure(String origin, OriginException.Kind kind, long nanos) {}

  /** Body bytes read from the origin, reported once per response when its body ends or is closed. */
  default void onBodyBytes(String origin, long bytes) {}
}
