package dev.smtpdouble.internal.script;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one duration syntax: script rules ({@code delay 2s}) and the command line's timeouts. */
public final class Durations {
  /** What a duration looks like, for error messages. */
  static final String EXPECTED = "a duration such as 500ms, 2s or 1m";

  /** A number directly followed by its unit; CASE_INSENSITIVE alone folds ASCII only. */
  private static final Pattern DURATION =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m)", Pattern.CASE_INSENSITIVE);

  private Durations() {}

  /**
   * Parses a duration as the script language writes it, for every place that takes one (the
   * command line's timeouts too): a number followed by {@code ms}, {@code s} or {@code m}, such as
   * {@code 500ms}, {@code 30s}, {@code 1.5s} or {@code 2m}.
   *
   * @param text the text
   * @return the duration
   * @throws IllegalArgumentException saying what was expected (e.g. "a duration such as 500ms, 2s
   *     or 1m") when the text is not a duration or not a whole number of milliseconds
   */
  public static Duration parse(String text) {
    Matcher matcher = DURATION.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    long unit =
        switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
          case "m" -> 60_000L;
          case "s" -> 1_000L;
          default -> 1L;
        };
    if (matcher.group(1).length() > 40) {
      throw new IllegalArgumentException("a duration of at most " + Long.MAX_VALUE + "ms");
    }
    BigInteger millis;
    try {
      millis = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit)).toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("a duration of whole milliseconds, such as 1.5s or 500ms");
    }
    if (millis.bitLength() > 63) {
      throw new IllegalArgumentException("a duration of at most " + Long.MAX_VALUE + "ms");
    }
    return Duration.ofMillis(millis.longValue());
  }
}
