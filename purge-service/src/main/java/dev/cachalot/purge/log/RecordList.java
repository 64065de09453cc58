package dev.cachalot.purge.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The log's records in memory (index i holds sequence i + 1), and the readers waiting for the next one. */
final class RecordList {
  private final List<byte[]> records = new ArrayList<>();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

  /** Adds records in order; returns the sequence number of the first. Wakes waiters. */
  long addAll(List<byte[]> payloads) {
    List<CompletableFuture<Void>> wake;
    long first;
    synchronized (this) {
      first = records.size() + 1;
      records.addAll(payloads);
      wake = new ArrayList<>(waiters);
      waiters.clear();
    }
    wake.forEach(w -> w.complete(null));
    return first;
  }

  synchronized List<PurgeLog.LogEntry> read(long after, int max) {
    List<PurgeLog.LogEntry> out = new ArrayList<>();
    for (long seq = Math.max(0, after) + 1; seq <= records.size() && out.size() < max; seq++) {
      out.add(new PurgeLog.LogEntry(seq, records.get((int) (seq - 1))));
    }
    return out;
  }

  synchronized long size() {
    return records.size();
  }

  synchronized CompletableFuture<Void> awaitAfter(long after) {
    if (records.size() > after) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    waiters.add(f);
    return f;
  }

  /** Fails every waiter (the log is closing). */
  void failWaiters(RuntimeException why) {
    List<CompletableFuture<Void>> fail;
    synchronized (this) {
      fail = new ArrayList<>(waiters);
      waiters.clear();
    }
    fail.forEach(w -> w.completeExceptionally(why));
  }
}
