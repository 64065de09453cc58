package dev.cachalot.bench.hitrate;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.tukaani.xz.XZInputStream;

/**
 * Reads the trace formats in {@code ../shared/traces} (see its README):
 *
 * <ul>
 *   <li>{@code adaptsize}: text lines {@code time id size}; an object is (id, size), as AdaptSize keys it;
 *   <li>{@code scarab}: big-endian 64-bit keys;
 *   <li>{@code cache2k}: big-endian 32-bit keys.
 * </ul>
 * Files may be xz-compressed. The format is taken from the file name unless given.
 */
public final class TraceReaders {
  private TraceReaders() {}

  public static Trace read(Path file) throws IOException {
    return read(file, formatOf(file));
  }

  public static String formatOf(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.contains("adaptsize") || name.contains("adapt_size") || name.endsWith(".tr")) {
      return "adaptsize";
    }
    if (name.contains("scarab")) {
      return "scarab";
    }
    if (name.contains("cache2k")) {
      return "cache2k";
    }
    throw new IllegalArgumentException("cannot tell the trace format of " + file
        + " from its name; give it explicitly (adaptsize, scarab or cache2k)");
  }

  public static Trace read(Path file, String format) throws IOException {
    String name = file.getFileName().toString().replaceAll("\\.(trace|tr)?(\\.xz)?$", "");
    try (InputStream raw = open(file)) {
      return switch (format) {
        case "adaptsize" -> adaptSize(name, raw);
        case "scarab" -> binary(name, raw, 8);
        case "cache2k" -> binary(name, raw, 4);
        default -> throw new IllegalArgumentException("unknown trace format '" + format + "'");
      };
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return file.toString().endsWith(".xz") ? new BufferedInputStream(new XZInputStream(in), 1 << 16) : in;
  }

  private static Trace adaptSize(String name, InputStream raw) throws IOException {
    long[] keys = new long[1 << 16];
    int[] sizes = new int[1 << 16];
    int n = 0;
    BufferedReader lines = new BufferedReader(new InputStreamReader(raw, StandardCharsets.US_ASCII));
    String line;
    int lineNo = 0;
    while ((line = lines.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        throw new IOException(name + ": line " + lineNo + ": expected 'time id size'");
      }
      long id = Long.parseLong(f[1]);
      long size = Long.parseLong(f[2]);
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, n * 2);
        sizes = Arrays.copyOf(sizes, n * 2);
      }
      keys[n] = id * 0x9E3779B97F4A7C15L ^ size; // (id, size) is the object
      sizes[n] = (int) Math.min(Integer.MAX_VALUE, Math.max(1, size));
      n++;
    }
    return new Trace(name, Arrays.copyOf(keys, n), Arrays.copyOf(sizes, n));
  }

  private static Trace binary(String name, InputStream raw, int width) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    long[] keys = new long[1 << 16];
    int n = 0;
    try {
      while (true) {
        long k = width == 8 ? in.readLong() : in.readInt();
        if (n == keys.length) {
          keys = Arrays.copyOf(keys, n * 2);
        }
        keys[n++] = k;
      }
    } catch (EOFException end) {
      // done
    }
    return new Trace(name, Arrays.copyOf(keys, n), null);
  }
}
