package dev.cachalot.purge.log;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An ordered, durable log of purge records with contiguous sequence numbers starting at 1. {@link #append}
 * completes only once the record is durable (fsync, or a JetStream ack), which is when the publisher may be told
 * 202.
 */
public interface PurgeLog extends AutoCloseable {
  /** Appends {@code payload} (one record's JSON, without its sequence number) and completes with its number. */
  CompletableFuture<Long> append(byte[] payload);

  /** Records after {@code after}, oldest first, at most {@code max}. */
  List<LogEntry> read(long after, int max);

  /** The last sequence number (0 when empty). */
  long head();

  /** Completes when a record after {@code after} exists (at once if one does). */
  CompletableFuture<Void> awaitAfter(long after);

  @Override
  void close();

  /** One record: its number and the payload given to {@link #append}. */
  record LogEntry(long seq, byte[] payload) {}
}
