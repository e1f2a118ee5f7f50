package dev.smtpdouble.internal.text;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} without its general formatter: the same text ({@code
 * 2026-12-05T12:07:18.123456Z}, the fraction in groups of three digits and left out when zero) for
 * the years 0 to 9999, and {@link Instant#toString()} itself outside them. A transcript header is
 * rendered for every session, and the general formatter is a large part of a short session's work
 * while the JVM has not compiled it yet.
 */
public final class IsoInstant {
  /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds since the epoch. */
  private static final long MIN_SECOND = -62_167_219_200L;
  private static final long MAX_SECOND = 253_402_300_800L;

  private IsoInstant() {}

  /**
   * Appends the instant as {@link Instant#toString()} renders it.
   *
   * @param out where to append
   * @param instant the instant
   * @return {@code out}
   */
  public static StringBuilder appendTo(StringBuilder out, Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < MIN_SECOND || seconds >= MAX_SECOND) {
      return out.append(instant);
    }
    // the JDK's calendar arithmetic, without its formatter
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    digits(out, t.getYear(), 4).append('-');
    digits(out, t.getMonthValue(), 2).append('-');
    digits(out, t.getDayOfMonth(), 2).append('T');
    digits(out, t.getHour(), 2).append(':');
    digits(out, t.getMinute(), 2).append(':');
    digits(out, t.getSecond(), 2);
    int nano = instant.getNano();
    if (nano != 0) {
      out.append('.');
      if (nano % 1_000_000 == 0) {
        digits(out, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        digits(out, nano / 1000, 6);
      } else {
        digits(out, nano, 9);
      }
    }
    return out.append('Z');
  }

  /**
   * Appends a non-negative number with leading zeros to {@code width} digits.
   *
   * @param out where to append
   * @param value the number
   * @param width the fewest digits
   * @return {@code out}
   */
  public static StringBuilder digits(StringBuilder out, long value, int width) {
    for (long limit = 10, i = 1; i < width; i++, limit *= 10) {
      if (value < limit) {
        out.append('0');
      }
    }
    return out.append(value);
  }
}
