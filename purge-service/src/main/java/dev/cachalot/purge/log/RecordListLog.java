package dev.cachalot.purge.log;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The reading side both logs share: records kept in memory, in order, with waiters for the next one. */
abstract class RecordListLog implements PurgeLog {
  final RecordList records = new RecordList();

  @Override
  public List<LogEntry> read(long after, int max) {
    return records.read(after, max);
  }

  @Override
  public long head() {
    return records.size();
  }

  @Override
  public CompletableFuture<Void> awaitAfter(long after) {
    return records.awaitAfter(after);
  }
}
