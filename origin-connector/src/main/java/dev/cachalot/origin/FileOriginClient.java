package dev.cachalot.origin;

import dev.cachalot.config.OriginConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A directory served as an origin, with what a good static origin sends: Cache-Control (configured), a strong
 * ETag, Last-Modified, Content-Type, conditional 304s and single byte ranges. Used by the demo and by tests.
 * File I/O runs on a small pool of its own.
 */
final class FileOriginClient implements OriginClient {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"),
      Map.entry("svg", "image/svg+xml"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"),
      Map.entry("m3u8", "application/vnd.apple.mpegurl"), Map.entry("ts", "video/mp2t"),
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("css", "text/css"),
      Map.entry("js", "text/javascript"), Map.entry("json", "application/json"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  private final Path root;
  private final String cacheControl;
  private final ExecutorService io;

  FileOriginClient(OriginConfig config) {
    this.root = Path.of(config.url()).toAbsolutePath().normalize();
    this.cacheControl = config.fileCacheControl();
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "file-origin-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<OriginResponse> fetch(OriginRequest request) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return respond(request);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, io);
  }

  private OriginResponse respond(OriginRequest request) throws IOException {
    long now = System.currentTimeMillis();
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return text(405, "method not allowed\n", HttpFields.of("Allow", "GET, HEAD"), now);
    }
    Path file = resolve(request.target());
    if (file == null || !Files.isRegularFile(file)) {
      return text(404, "not found\n", HttpFields.of("Cache-Control", "max-age=10"), now);
    }
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    long size = attrs.size();
    long modified = attrs.lastModifiedTime().toMillis() / 1000 * 1000;
    String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "\"";
    HttpFields.Builder h = HttpFields.builder()
        .add("Date", HttpDates.format(now))
        .add("Last-Modified", HttpDates.format(modified))
        .add("ETag", etag)
        .add("Cache-Control", cacheControl)
        .add("Accept-Ranges", "bytes");
    HttpFields in = request.headers();
    if (notModified(in, etag, modified)) {
      return new OriginResponse(304, h.build(), 0, InputStream.nullInputStream());
    }
    h.add("Content-Type", contentType(file));
    long[] range = range(in, etag, modified, size);
    if (range != null && range[0] < 0) {
      h.add("Content-Range", "bytes */" + size).add("Content-Length", "0");
      return new OriginResponse(416, h.build(), 0, InputStream.nullInputStream());
    }
    long start = range == null ? 0 : range[0];
    long length = range == null ? size : range[1] - range[0] + 1;
    if (range != null) {
      h.add("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    }
    h.add("Content-Length", Long.toString(length));
    InputStream body = InputStream.nullInputStream();
    if (method.equals("GET")) {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(start);
      body = new java.io.BufferedInputStream(limited(Channels.newInputStream(ch), length), 64 * 1024);
    }
    return new OriginResponse(range == null ? 200 : 206, h.build(), method.equals("GET") ? length : 0, body);
  }

  private @Nullable Path resolve(String target) {
    int q = target.indexOf('?');
    String raw = q < 0 ? target : target.substring(0, q);
    String decoded = S3ObjectKeys.decode(raw);
    if (decoded == null || decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
      return null;
    }
    Path p = root.resolve(decoded.substring(1)).normalize();
    return p.startsWith(root) ? p : null;
  }

  private static boolean notModified(HttpFields in, String etag, long modified) {
    String inm = in.joined("If-None-Match");
    if (inm != null) {
      for (String tag : inm.split(",")) {
        String t = tag.trim();
        if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
          return true;
        }
      }
      return false;
    }
    String ims = in.get("If-Modified-Since");
    if (ims != null) {
      long since = HttpDates.parse(ims);
      return since != HttpDates.INVALID && modified <= since;
    }
    return false;
  }

  /** A single satisfiable range as {start, end}; {-1, -1} when unsatisfiable; null to send the whole file. */
  private static long @Nullable [] range(HttpFields in, String etag, long modified, long size) {
    String range = in.get("Range");
    if (range == null || !range.regionMatches(true, 0, "bytes=", 0, 6) || range.indexOf(',') >= 0) {
      return null;
    }
    String ifRange = in.get("If-Range");
    if (ifRange != null && !ifRange.equals(etag) && HttpDates.parse(ifRange) != modified) {
      return null;
    }
    String spec = range.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      long start;
      long end;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix == 0) {
          return new long[] {-1, -1};
        }
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(a);
        end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        if (end < start && !b.isEmpty()) {
          return null;
        }
      }
      return start >= size ? new long[] {-1, -1} : new long[] {start, end};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String contentType(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private static OriginResponse text(int status, String body, HttpFields extra, long now) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpFields.Builder h = extra.toBuilder()
        .add("Date", HttpDates.format(now))
        .add("Content-Type", "text/plain; charset=utf-8")
        .add("Content-Length", Integer.toString(bytes.length));
    return new OriginResponse(status, h.build(), bytes.length, new java.io.ByteArrayInputStream(bytes));
  }

  private static InputStream limited(InputStream in, long limit) {
    return new java.io.FilterInputStream(in) {
      private long left = limit;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = super.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int r = in.read(b, off, (int) Math.min(len, left));
        if (r > 0) {
          left -= r;
        }
        return r;
      }
    };
  }

  @Override
  public void close() {
    io.shutdownNow();
  }
}
