package dev.cachalot.edge.http;

import dev.cachalot.edge.fill.LiveBody;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * Writes a response body made of segments whose bytes may still be arriving (slices, a fill in progress) without
 * holding a thread: each write is sent from the I/O thread, and the next one waits for the client (Undertow calls
 * back) or for the bytes (the body calls back). A body that breaks off closes the connection, so the client sees
 * a truncation, never a short response taken for whole.
 */
final class BodyStreamer implements IoCallback {
  /** Bytes per write: the JDK copies a heap buffer's remainder on every write, so big writes cost squared. */
  private static final int MAX_WRITE = 2 << 20;

  /**
   * Bytes {@code [from, to)} of a body.
   *
   * @param body starts the body's arrival when first asked; completes with null if it cannot be had
   */
  record Segment(Supplier<CompletableFuture<@Nullable LiveBody>> body, long from, long to) {
    static Segment of(byte[] bytes) {
      LiveBody b = LiveBody.complete(bytes, 0, bytes.length);
      return new Segment(() -> CompletableFuture.completedFuture(b), 0, bytes.length);
    }

    static Segment of(LiveBody body, long from, long to) {
      return new Segment(() -> CompletableFuture.completedFuture(body), from, to);
    }
  }

  private final HttpServerExchange ex;
  private final List<Segment> segments;
  private final int readAhead;
  private final @Nullable CompletableFuture<@Nullable LiveBody>[] bodies;
  private final Runnable proceed = this::proceed;
  private int index;
  private long pos;

  /** @param readAhead segments whose bodies are asked for before they are reached */
  @SuppressWarnings("unchecked")
  BodyStreamer(HttpServerExchange ex, List<Segment> segments, int readAhead) {
    this.ex = ex;
    this.segments = segments;
    this.readAhead = readAhead;
    this.bodies = new CompletableFuture[segments.size()];
    this.pos = segments.isEmpty() ? 0 : segments.get(0).from();
  }

  /**
   * Starts writing; the response's status and fields must be set. Within a handler call it starts when the call
   * returns (dispatched, so Undertow does not end the exchange while a slice is awaited).
   */
  void start() {
    if (ex.isInIoThread()) {
      ex.dispatch(SameThreadExecutor.INSTANCE, proceed);
    } else {
      ex.getIoThread().execute(proceed);
    }
  }

  private CompletableFuture<@Nullable LiveBody> body(int i) {
    for (int k = i; k < Math.min(segments.size(), i + 1 + readAhead); k++) {
      if (bodies[k] == null) {
        bodies[k] = segments.get(k).body().get();
      }
    }
    return java.util.Objects.requireNonNull(bodies[i]);
  }

  /** On the I/O thread: writes what is at hand, or waits for the client or for bytes. */
  private void proceed() {
    while (index < segments.size()) {
      CompletableFuture<@Nullable LiveBody> f = body(index);
      if (!f.isDone()) {
        f.whenComplete((b, e) -> resume());
        return;
      }
      LiveBody b = f.isCompletedExceptionally() ? null : f.join();
      if (b == null) {
        abort();
        return;
      }
      Segment s = segments.get(index);
      long end = s.to();
      long until = Math.min(end, b.length());
      if (pos < until) {
        int n = (int) Math.min(MAX_WRITE, until - pos);
        ByteBuffer chunk = ByteBuffer.wrap(b.array(), b.offset() + (int) pos, n);
        pos += n;
        ex.getResponseSender().send(chunk, this);
        return;
      }
      if (pos >= end) {
        bodies[index] = null; // let a slice already sent be collected
        index++;
        if (index < segments.size()) {
          pos = segments.get(index).from();
        }
        continue;
      }
      if (b.failed() || b.done()) {
        if (b.length() > pos) {
          continue; // the last bytes came just before the end, after the length above was read
        }
        abort(); // ended before the bytes promised
        return;
      }
      b.whenBeyond((int) pos, this::resume);
      return;
    }
    ex.endExchange();
  }

  private void resume() {
    ex.getIoThread().execute(proceed);
  }

  private void abort() {
    IoUtils.safeClose(ex.getConnection());
  }

  @Override
  public void onComplete(HttpServerExchange exchange, Sender sender) {
    proceed();
  }

  @Override
  public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
    abort(); // the client went away; the fill goes on for the others
  }
}
