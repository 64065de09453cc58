package dev.cachalot.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as people write them: {@code 512MiB}, {@code 1g}, {@code 64k}, {@code 1048576}. Units are binary. */
public final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  /** Parses a size; throws {@link IllegalArgumentException} with a message fit for a config error. */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size (use e.g. 512MiB, 1GiB, 64k): '" + text + "'");
    }
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    try {
      long value = Long.parseLong(m.group(1));
      if (value > (Long.MAX_VALUE >> shift)) {
        throw new IllegalArgumentException("size too large: '" + text + "'");
      }
      return value << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size too large: '" + text + "'", e);
    }
  }

  /** The shortest exact binary form, e.g. 1073741824 → {@code 1GiB}. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    long value = bytes;
    while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
      value /= 1024;
      unit++;
    }
    return value + units[unit];
  }
}
