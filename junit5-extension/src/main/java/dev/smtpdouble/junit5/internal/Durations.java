package dev.smtpdouble.junit5.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the durations of annotation attributes and configuration parameters: {@code "5
 * s"}, {@code "500ms"}, {@code "2 m"}, {@code "1h"} (a number alone means seconds, as for JUnit's
 * own timeouts) or ISO-8601 such as {@code "PT1.5S"}.
 */
public final class Durations {
  private static final Pattern SIMPLE =
      Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @param text such as {@code "5 s"}, {@code "500ms"} or {@code "PT5S"}
   * @return the duration, never negative
   * @throws IllegalArgumentException when the text is not a duration, saying which forms are
   *     understood
   */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    Matcher m = SIMPLE.matcher(trimmed);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
      switch (unit) {
        case "ms":
          return Duration.ofMillis(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default:
          return Duration.ofSeconds(amount);
      }
    }
    try {
      Duration iso = Duration.parse(trimmed);
      if (!iso.isNegative()) {
        return iso;
      }
    } catch (DateTimeParseException e) {
      // fall through to the explanation below
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not a duration: write a number with ms, s, m or h (such as '5 s' or '500ms';"
            + " a number alone means seconds) or an ISO-8601 duration such as 'PT5S'");
  }

  /**
   * Writes a duration for people: {@code "5 s"}, {@code "1500 ms"}.
   *
   * @param duration the duration
   * @return the text
   */
  public static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
