package dev.cachalot.config;

/**
 * The HTTP listener's tuning.
 *
 * @param ioThreads Undertow I/O threads; hits are served on them
 * @param maxRequestBodySize larger request bodies are refused with 413
 * @param name this cache's name in {@code Via} and {@code Cache-Status}
 */
public record ServerConfig(int ioThreads, long maxRequestBodySize, String name) {
  public ServerConfig {
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be >= 1");
    }
    if (!name.matches("[A-Za-z][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("name must be a token such as 'cachalot' (was '" + name + "')");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(Runtime.getRuntime().availableProcessors(), 64L << 20, "cachalot");
  }
}
