package dev.cachalot.origin;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in. */
public final class HttpDates {
  /** Returned by {@link #parse} for an invalid date. */
  public static final long INVALID = Long.MIN_VALUE;

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
      .appendPattern("EEEE, dd-MMM-")
      .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
      .appendPattern(" HH:mm:ss 'GMT'")
      .toFormatter(Locale.US);
  private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
      .appendPattern("EEE MMM")
      .appendLiteral(' ')
      .optionalStart().appendLiteral(' ').optionalEnd()
      .appendPattern("d HH:mm:ss yyyy")
      .toFormatter(Locale.US);

  private HttpDates() {}

  public static String format(long epochMillis) {
    return IMF_FIXDATE.format(java.time.Instant.ofEpochMilli(epochMillis));
  }

  /** Epoch millis, or {@link #INVALID}. */
  public static long parse(String text) {
    String t = text.trim();
    for (DateTimeFormatter f : new DateTimeFormatter[] {IMF_FIXDATE, RFC_850, ASCTIME}) {
      try {
        LocalDateTime dt = LocalDateTime.parse(t, f.withZone(null));
        return dt.toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        // try the next format
      } catch (DateTimeException e) {
        return INVALID;
      }
    }
    return INVALID;
  }
}
