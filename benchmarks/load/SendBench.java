import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What it costs a server to send 1 MiB from a random place in 96 MiB, by where the bytes are: a heap array, a direct
 * buffer, or a file in the page cache sent with sendfile. Answers every request on a connection with 1 MiB (one
 * thread per connection, no request parsing: for wrk only).
 *
 * <pre>
 * taskset -c 1 java benchmarks/load/SendBench.java file 18913 &amp;
 * taskset -c 0 wrk -t1 -c32 -d4s http://127.0.0.1:18913/     # and watch both cores' busy time
 * </pre>
 *
 * Modes: {@code heap}, {@code heap256} (writes of at most 256 KiB), {@code direct}, {@code file} (sendfile),
 * {@code filetouch} (the range read once through a mapping, then sendfile), {@code staged} (copied once into a
 * direct buffer, then written), {@code hot} (always the same 1 MiB: what the client can take when the server's
 * bytes are in the CPU's caches).
 */
public class SendBench {
  private static final int LENGTH = 1 << 20;
  private static final long SIZE = 96L << 20;
  static volatile long sink;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    Path blob = Path.of(System.getProperty("java.io.tmpdir"), "sendbench.blob");
    if (!Files.exists(blob) || Files.size(blob) != SIZE) {
      byte[] b = new byte[(int) SIZE];
      ThreadLocalRandom.current().nextBytes(b);
      Files.write(blob, b);
    }
    byte[] heap = Files.readAllBytes(blob);
    ByteBuffer direct = ByteBuffer.allocateDirect((int) SIZE).put(heap).flip();
    ByteBuffer mapped;
    try (FileChannel f = FileChannel.open(blob)) {
      mapped = f.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
    }
    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + LENGTH + "\r\n\r\n").getBytes();
    ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", port), 128);
    while (true) {
      SocketChannel c = server.accept();
      new Thread(() -> serve(c, mode, blob, heap, direct, mapped, head)).start();
    }
  }

  private static void serve(SocketChannel c, String mode, Path blob, byte[] heap, ByteBuffer direct, ByteBuffer mapped,
      byte[] head) {
    try (c; FileChannel file = FileChannel.open(blob)) {
      ByteBuffer in = ByteBuffer.allocate(8192);
      ByteBuffer h = ByteBuffer.allocateDirect(head.length);
      ByteBuffer stage = ByteBuffer.allocateDirect(LENGTH);
      while (c.read(in.clear()) >= 0) { // one request per read: wrk waits for each response
        int at = (int) (ThreadLocalRandom.current().nextLong(SIZE - LENGTH) & ~4095L);
        h.clear().put(head).flip();
        while (h.hasRemaining()) {
          c.write(h);
        }
        switch (mode) {
          case "heap" -> writeAll(c, ByteBuffer.wrap(heap, at, LENGTH));
          case "heap256" -> {
            for (int o = at; o < at + LENGTH; ) {
              o += c.write(ByteBuffer.wrap(heap, o, Math.min(256 << 10, at + LENGTH - o)));
            }
          }
          case "hot" -> writeAll(c, direct.duplicate().limit(LENGTH).position(0)); // the client's ceiling
          case "direct" -> writeAll(c, direct.duplicate().limit(at + LENGTH).position(at));
          case "file" -> {
            for (long sent = 0; sent < LENGTH; ) {
              sent += file.transferTo(at + sent, LENGTH - sent, c);
            }
          }
          case "staged" -> writeAll(c, stage.clear().put(ByteBuffer.wrap(heap, at, LENGTH)).flip());
          case "filetouch" -> {
            long sum = 0;
            for (int o = at; o < at + LENGTH; o += 64) {
              sum += mapped.getLong(o);
            }
            sink += sum;
            for (long sent = 0; sent < LENGTH; ) {
              sent += file.transferTo(at + sent, LENGTH - sent, c);
            }
          }
          default -> throw new IllegalArgumentException("mode: heap, heap256, direct or file");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void writeAll(SocketChannel c, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      c.write(b);
    }
  }
}
