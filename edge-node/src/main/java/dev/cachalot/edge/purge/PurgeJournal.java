package dev.cachalot.edge.purge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purges this edge applied, with the time it applied each, beside its mapped tier: replayed at start-up to
 * rebuild {@link PurgeRules} and to know where to resume. Records are framed {@code [length][crc32c][json]} and
 * fsynced before the edge reports them applied; a torn tail is cut off at open.
 */
final class PurgeJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PurgeJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One applied purge. */
  record Applied(PurgeRecord record, long appliedAt) {}

  private final FileChannel file;
  private final List<Applied> replay;

  private PurgeJournal(FileChannel file, List<Applied> replay) {
    this.file = file;
    this.replay = replay;
  }

  static PurgeJournal open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path path = dir.resolve("purges-applied.log");
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    List<Applied> applied = new ArrayList<>();
    long size = ch.size();
    long pos = 0;
    ByteBuffer head = ByteBuffer.allocate(8);
    while (pos + 8 <= size) {
      head.clear();
      ch.read(head, pos);
      head.flip();
      int length = head.getInt();
      int crc = head.getInt();
      if (length <= 0 || length > (1 << 22) || pos + 8 + length > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      ch.read(body, pos + 8);
      if (crc32c(body.array()) != crc) {
        break;
      }
      JsonNode n = JSON.readTree(body.array());
      applied.add(new Applied(PurgeRecord.of(n.path("record")), n.path("appliedAt").asLong()));
      pos += 8 + length;
    }
    if (pos < size) {
      LOG.warn("EDGE-120 {}: dropped a torn tail of {} bytes; the purges in it will be read again from the log",
          path, size - pos);
      ch.truncate(pos);
    }
    ch.position(pos);
    return new PurgeJournal(ch, applied);
  }

  /** What was applied before this start, oldest first. */
  List<Applied> replay() {
    return replay;
  }

  /** Appends applied purges and makes them durable. */
  synchronized void append(List<Applied> batch, List<JsonNode> raw) throws IOException {
    List<byte[]> bodies = new ArrayList<>();
    int size = 0;
    for (int i = 0; i < batch.size(); i++) {
      ObjectNode o = JSON.createObjectNode();
      o.put("appliedAt", batch.get(i).appliedAt());
      o.set("record", raw.get(i));
      byte[] b = JSON.writeValueAsBytes(o);
      bodies.add(b);
      size += 8 + b.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (byte[] b : bodies) {
      buf.putInt(b.length).putInt(crc32c(b)).put(b);
    }
    buf.flip();
    while (buf.hasRemaining()) {
      file.write(buf);
    }
    file.force(false);
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  private static int crc32c(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b, 0, b.length);
    return (int) c.getValue();
  }
}
