package dev.cachalot.edge.metrics;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import dev.cachalot.edge.http.EdgeExchange;
import dev.cachalot.edge.http.IoThreadLocal;
import dev.cachalot.edge.http.LoopClock;
import dev.cachalot.edge.http.RequestListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request through SLF4J (logger {@code cachalot.access}): the combined log format, then the cache
 * result, the tier, the time spent on the origin and the total time. Each I/O thread takes a finished request's
 * fields into a batch of its own ({@link PendingLines}) and formats a full batch at once, as ASCII bytes, into its
 * {@link LineBuffer}; 64 KiB of lines, or every 200 ms a timer, hands the whole chunk to SLF4J as one event
 * ({@link LineChunk}: the bytes themselves, not a copy), so the logging framework's per-event cost is paid once per
 * few hundred requests. Writing happens on logback's {@link AsyncAppender} thread ({@link AccessLogOutput}), which
 * never blocks the caller and drops chunks when it falls behind rather than stall hits. Times come from the I/O
 * thread's {@link LoopClock} (one clock read per pass of its loop, as nginx does), and the date from the request's
 * end time, which the total time needs anyway.
 *
 * <pre>
 * 127.0.0.1 - - [22/Nov/2026:06:00:00 +0000] "GET /a.jpg HTTP/1.1" 200 8192 "-" "curl/7.88.1" cache=hit tier=memory origin_ms=- total_ms=0.000
 * </pre>
 */
public final class AccessLog implements RequestListener, AutoCloseable {
  private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private static final int FLUSH_AT = 64 * 1024;
  /** The client's address and {@code " - - ["}: the start of each line from the connection. */
  private static final AttachmentKey<byte[]> PEER = AttachmentKey.create(byte[].class);
  private static final int PEERS_KEPT = 4096;

  /**
   * One thread's lines not yet handed to SLF4J. An I/O thread's buffer is its own: the flush timer hands the flush to
   * that thread ({@link #owner}) instead of taking a lock that every request would pay for. A buffer of any other
   * thread (a blocking worker's) is locked on each use.
   */
  private final class Buffer {
    final @Nullable XnioIoThread owner;
    final LoopClock loopClock = LoopClock.current();
    final PendingLines pending = new PendingLines();
    final LineBuffer lines = new LineBuffer(FLUSH_AT + 64 * 1024);
    long dateSecond = Long.MIN_VALUE;
    byte[] date = new byte[0];

    Buffer(@Nullable XnioIoThread owner) {
      this.owner = owner;
    }

    /** Takes a request's fields; a full batch is formatted, and the text returned once there is a chunk of it. */
    @Nullable LineChunk add(byte[] peer, long now, HttpServerExchange ex, long bytes, @Nullable EdgeExchange ctx,
        CacheResult result, TrafficCounters.Tier tier, long total) {
      HeaderMap in = ex.getRequestHeaders();
      pending.add(peer, now, ex.getRequestMethod(), ex.getRequestURI(), ex.getQueryString(), ex.getProtocol(),
          ex.getStatusCode(), bytes, in.getFirst(Headers.REFERER), in.getFirst(Headers.USER_AGENT), result,
          ctx == null ? null : tier, ctx == null || ctx.originNanos() == 0 ? -1 : ctx.originNanos(), total);
      return pending.full() ? take(FLUSH_AT) : null;
    }

    /** From the timer: on the owner thread when there is one (never waited for), else under the lock. */
    void flushSoon() {
      if (owner == null) {
        flushLocked();
        return;
      }
      try {
        owner.execute(this::flushNow); // runs between the owner's requests
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // the server is stopping: close() flushes what is left
      }
    }

    synchronized void flushLocked() {
      flushNow();
    }

    /** On the owner thread (or under the lock): hands what is pending to SLF4J. */
    void flushNow() {
      LineChunk chunk = take(1);
      if (chunk != null) {
        log.info("{}", chunk);
      }
    }

    /** Formats what is pending; the text when there are at least {@code atLeast} bytes of it, else null. */
    @Nullable LineChunk take(int atLeast) {
      if (!pending.isEmpty()) {
        pending.formatInto(lines, this::date);
      }
      return lines.length() >= Math.max(1, atLeast) ? lines.drain(spare.poll()) : null;
    }

    /** The request's end as {@code dd/MMM/yyyy:HH:mm:ss +0000}, formatted once a second. */
    private byte[] date(long nanos) {
      long second = Math.floorDiv(clock.wallMillisAt(nanos), 1000);
      if (second != dateSecond) {
        date = LineBuffer.bytesOf(CLF.format(Instant.ofEpochSecond(second)));
        dateSecond = second;
      }
      return date;
    }
  }

  /** Wall-clock milliseconds at a {@code System.nanoTime()} reading, refreshed by the flush timer. */
  private record ClockAnchor(long wallMillis, long nanos) {
    static ClockAnchor now() {
      return new ClockAnchor(System.currentTimeMillis(), System.nanoTime());
    }

    long wallMillisAt(long nanos) {
      return wallMillis + (nanos - this.nanos) / 1_000_000;
    }
  }

  private final Logger log;
  /** Chunk arrays the appender has written, for the I/O threads to fill again. */
  private final java.util.concurrent.ArrayBlockingQueue<byte[]> spare =
      new java.util.concurrent.ArrayBlockingQueue<>(16);
  private final @Nullable AsyncAppender async;
  private final java.util.List<Buffer> buffers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final IoThreadLocal<Buffer> local = new IoThreadLocal<>(() -> {
    Buffer b = new Buffer(Thread.currentThread() instanceof XnioIoThread io ? io : null);
    buffers.add(b);
    return b;
  });
  private final java.util.concurrent.ScheduledExecutorService flusher;
  private final java.util.concurrent.ConcurrentHashMap<String, byte[]> peers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile ClockAnchor clock = ClockAnchor.now();

  /** {@code target}: {@code stdout} or a file path. */
  public AccessLog(String target) {
    this.log = LoggerFactory.getLogger("cachalot.access");
    this.async = LoggerFactory.getILoggerFactory() instanceof LoggerContext lc
        ? AccessLogOutput.install(lc, target, spare) : null;
    this.flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "access-log-flush");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(() -> {
      clock = ClockAnchor.now();
      buffers.forEach(Buffer::flushSoon);
    }, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Hands every buffered line to SLF4J before it returns (a live I/O thread is asked to, and waited for). */
  public void flush() {
    for (Buffer b : buffers) {
      XnioIoThread owner = b.owner;
      if (owner == null) {
        b.flushLocked();
        continue;
      }
      // an owner that stays busy for 5 s keeps its lines until the next flush (close() must not hang on it)
      for (int tries = 0; tries < 5 && owner != Thread.currentThread() && owner.isAlive()
          && !Thread.currentThread().isInterrupted(); tries++) {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try {
          owner.execute(() -> {
            b.flushNow();
            done.countDown();
          });
          if (done.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            break;
          }
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          joinQuietly(owner);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (owner == Thread.currentThread() || !owner.isAlive()) { // a dead thread's writes are visible once isAlive
        b.flushNow();                                            // says so
      }
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void requestDone(HttpServerExchange ex, @Nullable EdgeExchange ctx) {
    CacheResult result = CacheResult.of(ex, ctx);
    record(ex, ctx, result, TrafficCounters.Tier.of(result, ctx), ex.getResponseBytesSent());
  }

  @Override
  public boolean timesRequests() {
    return true;
  }

  /** {@code tier} is logged for keyed requests only ({@code ctx} not null); the rest log {@code tier=none}. */
  void record(HttpServerExchange ex, @Nullable EdgeExchange ctx, CacheResult result, TrafficCounters.Tier tier,
      long bytes) {
    Buffer b = local.get();
    long now = b.loopClock.nanoTime();
    byte[] peer = ex.getConnection().getAttachment(PEER); // looked up once per connection
    if (peer == null) {
      peer = peerPrefix(ex);
      ex.getConnection().putAttachment(PEER, peer);
    }
    // -1: not timed; a request that started on another thread can read as ending before its start
    long total = ctx == null || ctx.startNanos() == 0 ? -1 : Math.max(0, now - ctx.startNanos());
    LineChunk chunk;
    if (b.owner != null) { // this I/O thread's own buffer: no lock
      chunk = b.add(peer, now, ex, bytes, ctx, result, tier, total);
    } else {
      synchronized (b) {
        chunk = b.add(peer, now, ex, bytes, ctx, result, tier, total);
      }
    }
    if (chunk != null) {
      log.info("{}", chunk);
    }
  }

  /**
   * The client's address and {@code " - - ["}, one array per address (up to {@link #PEERS_KEPT} of them): lines
   * from one client then start with the same array, which lets {@link PendingLines} copy the head in one piece.
   */
  private byte[] peerPrefix(HttpServerExchange ex) {
    InetSocketAddress address = ex.getSourceAddress();
    java.net.InetAddress addr = address == null ? null : address.getAddress();
    String text = addr == null ? "-" : addr.getHostAddress();
    byte[] kept = peers.get(text);
    if (kept != null) {
      return kept;
    }
    byte[] prefix = LineBuffer.bytesOf(text + " - - [");
    return peers.size() < PEERS_KEPT ? peers.computeIfAbsent(text, t -> prefix) : prefix;
  }

  /** Flushes what is queued and stops the appender. */
  @Override
  public void close() {
    flusher.shutdownNow();
    flush();
    if (async != null) {
      async.stop();
    }
  }
}
