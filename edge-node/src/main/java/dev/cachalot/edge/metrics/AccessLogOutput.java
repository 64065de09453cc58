package dev.cachalot.edge.metrics;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import org.jspecify.annotations.Nullable;

/**
 * Where the access log's chunks go once logged: logback's {@link AsyncAppender}, which never blocks the I/O thread,
 * in front of a writer that puts each chunk's bytes in the file (or on stdout) as they are and gives the array back.
 */
final class AccessLogOutput {
  private AccessLogOutput() {}

  /** Routes logger {@code cachalot.access} to {@code target} ({@code stdout} or a file, appended to). */
  static AsyncAppender install(LoggerContext lc, String target, Queue<byte[]> spare) {
    boolean stdout = target.equals("stdout");
    ChunkWriter writer = new ChunkWriter(stdout ? System.out : open(target), !stdout, spare);
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

  private static OutputStream open(String file) {
    try {
      return new FileOutputStream(file, true);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("cannot open the access log " + file + ": " + e.getMessage(), e);
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

  /** Writes chunks with one call each (they are 64 KiB or a timer's worth, so there is nothing to buffer). */
  private static final class ChunkWriter extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final OutputStream out;
    private final boolean owned;
    private final Queue<byte[]> spare;

    ChunkWriter(OutputStream out, boolean owned, Queue<byte[]> spare) {
      this.out = out;
      this.owned = owned;
      this.spare = spare;
    }

    @Override
    protected void append(ILoggingEvent e) {
      LineChunk c = chunkOf(e);
      try {
        if (c != null) {
          out.write(c.bytes, 0, c.length);
          spare.offer(c.bytes);
        } else {
          out.write((e.getFormattedMessage() + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        if (!owned) {
          out.flush();
        }
      } catch (IOException x) {
        addError("cannot write the access log", x);
      }
    }

    @Override
    public void stop() {
      super.stop();
      try {
        if (owned) {
          out.close();
        } else {
          out.flush();
        }
      } catch (IOException x) {
        addError("cannot close the access log", x);
      }
    }
  }
}
