package dev.cachalot.edge.metrics;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.cachalot.edge.http.EdgeExchange;
import dev.cachalot.edge.http.RequestListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request through SLF4J (logger {@code cachalot.access}): the combined log format, then the cache
 * result, the tier, the time spent on the origin and the total time. Lines are built on the I/O thread into that
 * thread's buffer; a full buffer (64 KiB), or every 200 ms a timer, hands the whole chunk to SLF4J as one event, so
 * the logging framework's per-event cost is paid once per few hundred requests. Writing happens on logback's
 * {@link AsyncAppender} thread, which never blocks the caller and drops chunks when it falls behind rather than
 * stall hits.
 *
 * <pre>
 * 127.0.0.1 - - [22/Nov/2026:06:00:00 +0000] "GET /a.jpg HTTP/1.1" 200 8192 "-" "curl/7.88.1" cache=hit tier=memory origin_ms=- total_ms=0.081
 * </pre>
 */
public final class AccessLog implements RequestListener, AutoCloseable {
  private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private static final int FLUSH_AT = 64 * 1024;

  /** One I/O thread's lines not yet handed to SLF4J; the lock is uncontended but for the flush timer. */
  private static final class Buffer {
    final StringBuilder lines = new StringBuilder(FLUSH_AT + 1024);
    @Nullable Object lastConnection;
    String lastPeerText = "-";

    synchronized @Nullable String drainIfAbove(int size) {
      if (lines.length() <= size) {
        return null;
      }
      String chunk = lines.toString();
      lines.setLength(0);
      return chunk;
    }
  }

  private final Logger log;
  private final @Nullable AsyncAppender async;
  private final java.util.List<Buffer> buffers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ThreadLocal<Buffer> local = ThreadLocal.withInitial(() -> {
    Buffer b = new Buffer();
    buffers.add(b);
    return b;
  });
  private final java.util.concurrent.ScheduledExecutorService flusher;
  private volatile long cachedSecond = -1;
  private volatile String cachedDate = "";

  /** {@code target}: {@code stdout} or a file path. */
  public AccessLog(String target) {
    this.log = LoggerFactory.getLogger("cachalot.access");
    this.async = LoggerFactory.getILoggerFactory() instanceof LoggerContext lc ? install(lc, target) : null;
    this.flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "access-log-flush");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleWithFixedDelay(this::flush, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Hands every buffered line to SLF4J. */
  public void flush() {
    for (Buffer b : buffers) {
      String chunk = b.drainIfAbove(0);
      if (chunk != null) {
        log.info(chunk);
      }
    }
  }

  private static AsyncAppender install(LoggerContext lc, String target) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(lc);
    encoder.setPattern("%msg"); // chunks of whole lines, each ending in \n
    encoder.start();
    OutputStreamAppender<ILoggingEvent> out;
    if (target.equals("stdout")) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setTarget("System.out");
      out = console;
    } else {
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setFile(target);
      file.setAppend(true);
      out = file;
    }
    out.setContext(lc);
    out.setName("access-out");
    out.setEncoder(encoder);
    out.setImmediateFlush(false);
    out.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(lc);
    async.setName("access-async");
    async.setQueueSize(256); // chunks of up to 64 KiB: 16 MiB behind at most
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.setIncludeCallerData(false);
    async.addAppender(out);
    async.start();
    ch.qos.logback.classic.Logger logger = lc.getLogger("cachalot.access");
    logger.detachAndStopAllAppenders();
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(async);
    return async;
  }

  @Override
  public void requestDone(HttpServerExchange ex, @Nullable EdgeExchange ctx) {
    record(ex, ctx, CacheResult.of(ex));
  }

  void record(HttpServerExchange ex, @Nullable EdgeExchange ctx, CacheResult result) {
    long now = System.nanoTime();
    Buffer b = local.get();
    String chunk;
    synchronized (b) {
      line(b, ex, ctx, result, now);
      chunk = b.lines.length() >= FLUSH_AT ? b.drainIfAbove(0) : null;
    }
    if (chunk != null) {
      log.info(chunk);
    }
  }

  private void line(Buffer b, HttpServerExchange ex, @Nullable EdgeExchange ctx, CacheResult result, long now) {
    StringBuilder sb = b.lines;
    if (ex.getConnection() != b.lastConnection) { // keep-alive: the peer is looked up once per connection
      b.lastConnection = ex.getConnection();
      InetSocketAddress peer = ex.getSourceAddress();
      java.net.InetAddress addr = peer == null ? null : peer.getAddress();
      b.lastPeerText = addr == null ? "-" : addr.getHostAddress();
    }
    sb.append(b.lastPeerText).append(" - - [").append(date()).append("] \"")
        .append(ex.getRequestMethod()).append(' ').append(ex.getRequestURI());
    String query = ex.getQueryString();
    if (query != null && !query.isEmpty()) {
      sb.append('?').append(query);
    }
    sb.append(' ').append(ex.getProtocol()).append("\" ").append(ex.getStatusCode()).append(' ')
        .append(ex.getResponseBytesSent()).append(' ');
    quoted(sb, ex.getRequestHeaders().getFirst(Headers.REFERER));
    sb.append(' ');
    quoted(sb, ex.getRequestHeaders().getFirst(Headers.USER_AGENT));
    sb.append(" cache=").append(result.label()).append(" tier=");
    if (ctx == null) {
      sb.append("none origin_ms=- total_ms=-");
    } else {
      sb.append(result.fromCache() ? (ctx.fromMapped() ? "mapped" : "memory") : "origin").append(" origin_ms=");
      millis(sb, ctx.originNanos());
      sb.append(" total_ms=");
      millis(sb, now - ctx.startNanos());
    }
    sb.append('\n');
  }

  private String date() {
    long second = System.currentTimeMillis() / 1000;
    if (second != cachedSecond) {
      cachedDate = CLF.format(Instant.ofEpochSecond(second));
      cachedSecond = second;
    }
    return cachedDate;
  }

  private static void quoted(StringBuilder sb, @Nullable String v) {
    if (v == null) {
      sb.append("\"-\"");
      return;
    }
    sb.append('"');
    if (plain(v)) { // the usual case: one copy, not a char at a time
      sb.append(v).append('"');
      return;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private static boolean plain(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static void millis(StringBuilder sb, long nanos) {
    if (nanos <= 0) {
      sb.append('-');
      return;
    }
    long micros = nanos / 1000;
    sb.append(micros / 1000).append('.');
    long frac = micros % 1000;
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    sb.append(frac);
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
