package dev.cachalot.purge.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default log: one append-only file, each record framed as {@code [length u32][crc32c u32][payload]}. A single
 * writer thread takes whatever appends are waiting, writes them, fsyncs once and only then completes them (group
 * commit), so throughput grows with load while every 202 still follows an fsync. On open, the file is scanned and a
 * torn or corrupt tail (a crash mid-write) is cut off: a record is either whole and checked, or gone.
 *
 * <p>Records are also kept in memory for reads; a log of a few million purges fits in a few hundred MB. Rotating
 * and compacting old records is not done yet.
 */
public final class EmbeddedPurgeLog extends RecordListLog {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPurgeLog.class);
  private static final byte[] MAGIC = "CACHALOT-PURGE-LOG 1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_RECORD = 1 << 20;

  private record Pending(byte[] payload, CompletableFuture<Long> done) {}

  private static final Pending STOP = new Pending(new byte[0], new CompletableFuture<>());

  private final FileChannel file;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  private EmbeddedPurgeLog(FileChannel file) {
    this.file = file;
    this.writer = new Thread(this::writeLoop, "purge-log-writer");
    this.writer.setDaemon(true);
  }

  /** Opens (or creates) {@code dir/purge.log}, recovering from a torn tail. */
  public static EmbeddedPurgeLog open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path path = dir.resolve("purge.log");
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    EmbeddedPurgeLog log = new EmbeddedPurgeLog(ch);
    log.recover(path);
    log.writer.start();
    return log;
  }

  private void recover(Path path) throws IOException {
    long size = file.size();
    if (size == 0) {
      file.write(ByteBuffer.wrap(MAGIC), 0);
      file.force(true);
      file.position(MAGIC.length);
      return;
    }
    ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
    file.read(magic, 0);
    if (!java.util.Arrays.equals(magic.array(), MAGIC)) {
      throw new IOException(path + " is not a Cachalot purge log (or a newer format)");
    }
    long pos = MAGIC.length;
    ByteBuffer head = ByteBuffer.allocate(8);
    while (pos + 8 <= size) {
      head.clear();
      file.read(head, pos);
      head.flip();
      int length = head.getInt();
      int crc = head.getInt();
      if (length <= 0 || length > MAX_RECORD || pos + 8 + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      file.read(body, pos + 8);
      if (crc32c(body.array()) != crc) {
        break;
      }
      records.addAll(List.of(body.array()));
      pos += 8 + length;
    }
    if (pos < size) {
      LOG.warn("PURGE-100 {}: dropped a torn or damaged tail of {} bytes after record {} (a crash mid-write); "
          + "no purge after it had been acknowledged", path, size - pos, records.size());
      file.truncate(pos);
      file.force(true);
    }
    file.position(pos);
  }

  @Override
  public CompletableFuture<Long> append(byte[] payload) {
    if (payload.length == 0 || payload.length > MAX_RECORD) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("record of " + payload.length + " bytes"));
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("purge log closed"));
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    queue.add(new Pending(payload, done));
    return done;
  }

  /** Never interrupted (an interrupt would close the FileChannel mid-write): {@link #close} sends STOP instead. */
  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, 4095);
      } catch (InterruptedException e) {
        continue;
      }
      stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        writeBatch(batch);
      }
      batch.clear();
    }
  }

  private void writeBatch(List<Pending> batch) {
    int bytes = 0;
    for (Pending p : batch) {
      bytes += 8 + p.payload().length;
    }
    ByteBuffer buf = ByteBuffer.allocate(bytes);
    for (Pending p : batch) {
      buf.putInt(p.payload().length).putInt(crc32c(p.payload())).put(p.payload());
    }
    buf.flip();
    long first;
    try {
      while (buf.hasRemaining()) {
        file.write(buf);
      }
      file.force(false);
    } catch (IOException e) {
      LOG.error("PURGE-101 cannot write the purge log; {} purges refused", batch.size(), e);
      for (Pending p : batch) {
        p.done().completeExceptionally(new UncheckedIOException(e));
      }
      return;
    }
    List<byte[]> payloads = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      payloads.add(p.payload());
    }
    first = records.addAll(payloads);
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(first + i);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      writer.join(5_000);
      file.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // closing
    }
    records.failWaiters(new IllegalStateException("purge log closed"));
  }

  private static int crc32c(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b, 0, b.length);
    return (int) c.getValue();
  }
}
