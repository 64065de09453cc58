package dev.cachalot.origin;

import java.io.Closeable;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches from one origin without blocking the caller. The future completes when the response head has arrived
 * (on a client thread, where reading the body may block), or exceptionally with an {@link OriginException}.
 */
public interface OriginClient extends Closeable {
  CompletableFuture<OriginResponse> fetch(OriginRequest request);

  @Override
  void close();
}
