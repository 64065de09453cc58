package dev.cachalot.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachalot.purge.log.EmbeddedPurgeLog;
import dev.cachalot.purge.log.PurgeLog;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPurgeLogTest {
  @TempDir Path dir;

  private static byte[] json(int i) {
    return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void sequenceNumbersAreContiguousAndSurviveReopening() throws Exception {
    try (EmbeddedPurgeLog log = EmbeddedPurgeLog.open(dir)) {
      List<CompletableFuture<Long>> seqs = new ArrayList<>();
      for (int i = 1; i <= 500; i++) {
        seqs.add(log.append(json(i)));
      }
      for (int i = 0; i < seqs.size(); i++) {
        assertThat(seqs.get(i).join()).isEqualTo(i + 1);
      }
      assertThat(log.head()).isEqualTo(500);
    }
    try (EmbeddedPurgeLog log = EmbeddedPurgeLog.open(dir)) {
      assertThat(log.head()).isEqualTo(500);
      List<PurgeLog.LogEntry> page = log.read(498, 10);
      assertThat(page).extracting(PurgeLog.LogEntry::seq).containsExactly(499L, 500L);
      assertThat(new String(page.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":500}");
      assertThat(log.append(json(501)).join()).isEqualTo(501);
    }
  }

  @Test
  void aTornTailIsDroppedAndNeverHalfRead() throws Exception {
    try (EmbeddedPurgeLog log = EmbeddedPurgeLog.open(dir)) {
      for (int i = 1; i <= 3; i++) {
        log.append(json(i)).join();
      }
    }
    Path file = dir.resolve("purge.log");
    long whole = Files.size(file);
    // a crash in the middle of the 4th record: its header and half its payload reached the disk
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 20, 1, 2, 3, 4, '{', '"', 'n'}));
    }
    try (EmbeddedPurgeLog log = EmbeddedPurgeLog.open(dir)) {
      assertThat(log.head()).isEqualTo(3);
      assertThat(Files.size(file)).isEqualTo(whole);
      assertThat(log.append(json(4)).join()).isEqualTo(4);
    }
    // a flipped byte inside the last record: the checksum catches it
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 2] ^= 0x55;
    Files.write(file, bytes);
    try (EmbeddedPurgeLog log = EmbeddedPurgeLog.open(dir)) {
      assertThat(log.head()).isEqualTo(3);
    }
  }

  @Test
  void waitersWakeOnAppend() throws Exception {
    try (EmbeddedPurgeLog log = EmbeddedPurgeLog.open(dir)) {
      CompletableFuture<Void> w = log.awaitAfter(0);
      assertThat(w).isNotDone();
      log.append(json(1)).join();
      w.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(log.awaitAfter(0)).isDone();
    }
  }

  @Test
  void aFileThatIsNotALogIsRefused() throws Exception {
    Files.writeString(dir.resolve("purge.log"), "something else entirely\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedPurgeLog.open(dir))
        .hasMessageContaining("is not a Cachalot purge log");
  }
}
