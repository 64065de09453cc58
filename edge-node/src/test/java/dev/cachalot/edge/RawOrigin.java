package dev.cachalot.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that writes scripted raw bytes and then closes the connection: for bodies cut short, which a
 * well-behaved mock server will not produce.
 */
final class RawOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final ConcurrentLinkedQueue<byte[]> script = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final Thread acceptor;

  RawOrigin() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "raw-origin");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/";
  }

  /** The next connection gets exactly these bytes, then a close. */
  void enqueue(String raw) {
    script.add(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  int requests() {
    return requests.get();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        readHead(s.getInputStream());
        requests.incrementAndGet();
        byte[] answer = script.poll();
        OutputStream out = s.getOutputStream();
        out.write(answer == null ? "HTTP/1.1 500 Nothing Scripted\r\nContent-Length: 0\r\n\r\n".getBytes() : answer);
        out.flush();
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int state = 0;
    int c;
    while ((c = in.read()) >= 0) {
      state = (c == '\r' || c == '\n') ? state + 1 : 0;
      if (state == 4) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
