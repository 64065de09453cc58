package dev.cachalot.edge.metrics;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the access log's chunks go once logged: logback's {@link AsyncAppender}, which never blocks the I/O thread,
 * in front of a writer that puts each chunk's bytes in the file (or on stdout) as they are and gives the array back.
 */
final class AccessLogOutput {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLogOutput.class);

  private AccessLogOutput() {}

  /** Routes logger {@code cachalot.access} to {@code target} ({@code stdout} or a file, appended to). */
  static AsyncAppender install(LoggerContext lc, String target, Queue<byte[]> spare) {
    ChunkWriter writer = new ChunkWriter(target, target.equals("stdout") ? null : open(target), spare);
    writer.setContext(lc);
    writer.setName("access-out");
    writer.start();
    AsyncAppender async = new ChunkQueue();
    async.setContext(lc);
    async.setName("access-async");
    async.setQueueSize(256); // chunks of up to 64 KiB: 16 MiB behind at most
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.setIncludeCallerData(false);
    async.addAppender(writer);
    async.start();
    ch.qos.logback.classic.Logger logger = lc.getLogger("cachalot.access");
    logger.detachAndStopAllAppenders();
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(async);
    return async;
  }

  private static RandomAccessFile open(String file) {
    try {
      return new RandomAccessFile(file, "rw");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log " + file + ": " + e, e);
    }
  }

  /**
   * Appends {@code length} bytes at the file's end, whole or not at all: a write that fails part way (a full disk) is
   * cut off again, so the file never holds half a line. The end is read each time, so a file truncated under us
   * (logrotate's copytruncate) is written from its new end. Not a FileChannel: logback's worker writes on after it
   * is interrupted at stop, which would close an interruptible channel.
   */
  static void appendWhole(RandomAccessFile file, byte[] bytes, int length) throws IOException {
    long before = file.length();
    file.seek(before);
    try {
      file.write(bytes, 0, length);
    } catch (IOException e) {
      try {
        file.setLength(before);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  static @Nullable LineChunk chunkOf(ILoggingEvent e) {
    Object[] args = e.getArgumentArray();
    return args != null && args.length == 1 && args[0] instanceof LineChunk c ? c : null;
  }

  /** A chunk carries nothing of the thread that logged it, so it is queued without formatting its message. */
  private static final class ChunkQueue extends AsyncAppender {
    @Override
    protected void preprocess(ILoggingEvent e) {
      if (chunkOf(e) == null) {
        super.preprocess(e);
      }
    }
  }

  /**
   * Writes each chunk whole (they are 64 KiB or a timer's worth, so there is nothing to buffer) and gives its array
   * back. A failing target is reported once through the edge's own log, and once more when writes succeed again.
   */
  private static final class ChunkWriter extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final String target;
    private final @Nullable RandomAccessFile file;
    private final Queue<byte[]> spare;
    private boolean failing;

    /** {@code file}: null for stdout. */
    ChunkWriter(String target, @Nullable RandomAccessFile file, Queue<byte[]> spare) {
      this.target = target;
      this.file = file;
      this.spare = spare;
    }

    @Override
    protected void append(ILoggingEvent e) {
      LineChunk c = chunkOf(e);
      byte[] bytes = c != null ? c.bytes : (e.getFormattedMessage() + "\n").getBytes(StandardCharsets.ISO_8859_1);
      try {
        write(bytes, c != null ? c.length : bytes.length);
        if (failing) {
          failing = false;
          LOG.info("access log {}: writing again", target);
        }
      } catch (IOException x) {
        if (!failing) {
          failing = true;
          LOG.warn("access log {}: cannot write ({}); its lines are dropped until writes succeed again", target,
              x.toString());
        }
      } finally {
        if (c != null) {
          spare.offer(c.bytes);
        }
      }
    }

    private void write(byte[] bytes, int length) throws IOException {
      if (file != null) {
        appendWhole(file, bytes, length);
        return;
      }
      System.out.write(bytes, 0, length);
      System.out.flush();
      if (System.out.checkError()) {
        throw new IOException("stdout is closed or failing");
      }
    }

    @Override
    public void stop() {
      super.stop();
      try {
        if (file != null) {
          file.close();
        }
      } catch (IOException x) {
        addError("cannot close the access log", x);
      }
    }
  }
}
