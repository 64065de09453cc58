package dev.cachalot.edge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogOutputTest {
  @TempDir Path dir;

  @Test
  void aChunkWhoseWriteFailsPartWayIsCutOffAgain() throws IOException {
    Path log = dir.resolve("access.log");
    Files.writeString(log, "line zero\n"); // appended to, not replaced
    byte[] first = "line one\n".getBytes(StandardCharsets.US_ASCII);
    byte[] second = "line two\nline three\n".getBytes(StandardCharsets.US_ASCII);
    try (DiskFillsUp file = new DiskFillsUp(log)) {
      AccessLogOutput.appendWhole(file, first, first.length);
      file.room = 5; // takes 5 bytes, then fails as a full disk does
      assertThatThrownBy(() -> AccessLogOutput.appendWhole(file, second, second.length))
          .isInstanceOf(IOException.class).hasMessageContaining("No space");
      assertThat(Files.readString(log)).isEqualTo("line zero\nline one\n");
      file.room = Integer.MAX_VALUE;
      AccessLogOutput.appendWhole(file, second, 9);
    }
    assertThat(Files.readString(log)).isEqualTo("line zero\nline one\nline two\n");
  }

  @Test
  void aFileTruncatedUnderTheWriterIsWrittenFromItsNewEnd() throws IOException {
    Path log = dir.resolve("access.log");
    byte[] line = "a line\n".getBytes(StandardCharsets.US_ASCII);
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
      AccessLogOutput.appendWhole(file, line, line.length);
      AccessLogOutput.appendWhole(file, line, line.length);
      Files.write(log, new byte[0]); // logrotate's copytruncate
      AccessLogOutput.appendWhole(file, line, line.length);
    }
    assertThat(Files.readString(log)).isEqualTo("a line\n");
  }

  /** Writes up to {@link #room} bytes, then fails. */
  private static final class DiskFillsUp extends RandomAccessFile {
    int room = Integer.MAX_VALUE;

    DiskFillsUp(Path file) throws IOException {
      super(file.toFile(), "rw");
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int n = Math.min(room, len);
      super.write(b, off, n);
      room -= n;
      if (n < len) {
        throw new IOException("No space left on device");
      }
    }
  }
}
