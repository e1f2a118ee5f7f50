package dev.smtpdouble.examples.catalogue;

import java.time.Duration;

/** Coarse durations for the table, so that it stays the same from run to run. */
final class Buckets {
  private Buckets() {}

  /**
   * {@code "<1 s"} below one second, else {@code "~N s"} for N to N + 1 seconds. The faults take
   * almost no time, or a client timeout, or a scripted delay, and never less than those: cutting
   * at whole seconds leaves almost a second for a busy machine before a row changes.
   *
   * @param elapsed how long the client took
   * @return the bucket
   */
  static String of(Duration elapsed) {
    long seconds = elapsed.toSeconds();
    return seconds == 0 ? "<1 s" : "~" + seconds + " s";
  }

  /** A setting in seconds or milliseconds, such as {@code "2 s"} or {@code "500 ms"}. */
  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
