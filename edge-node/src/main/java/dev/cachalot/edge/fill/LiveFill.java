package dev.cachalot.edge.fill;

import dev.cachalot.edge.tier.StoredResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A fill whose fields are known and whose body is still arriving: what waiting clients stream from.
 *
 * @param head the response as it will be stored, with an empty body
 * @param body the body so far
 * @param outcome how the fill ends (stored, or failed)
 */
public record LiveFill(StoredResponse head, LiveBody body, CompletableFuture<FillOutcome> outcome) {
  public LiveFill(StoredResponse head, LiveBody body) {
    this(head, body, new CompletableFuture<>());
  }
}
