package dev.cachalot.edge.cli;

/** A one-line message for the operator and the process exit code. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
