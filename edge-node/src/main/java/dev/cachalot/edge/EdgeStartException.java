package dev.cachalot.edge;

/** The edge could not start; the message is one line fit for an operator (e.g. the port is in use). */
public final class EdgeStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EdgeStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
