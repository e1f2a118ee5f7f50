package dev.smtpdouble.bench;

import java.util.Locale;

/** What every scenario shares: reporting results, waiting for the last message, validating. */
final class Harness {
  private Harness() {}

  /** A check failed: the server did not receive exactly what was sent. */
  static final class ValidationFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ValidationFailed(String message) {
      super(message);
    }
  }

  /**
   * Prints one result line for run.sh: {@code RESULT scenario target metric value unit}, tab
   * separated.
   */
  static void result(String scenario, String target, String metric, double value, String unit) {
    System.out.printf(
        Locale.ROOT, "RESULT\t%s\t%s\t%s\t%.3f\t%s%n", scenario, target, metric, value, unit);
    System.out.flush();
  }

  /** Prints a free-form note that run.sh keeps in its log. */
  static void note(String format, Object... args) {
    System.out.println("# " + String.format(Locale.ROOT, format, args));
  }

  /**
   * Waits (10 s at most) until the target counts {@code expected} messages: some servers answer
   * the end of data a moment before the message is visible to the test.
   */
  static void awaitCount(Target target, long expected) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long count;
    while ((count = target.count()) < expected) {
      if (System.nanoTime() > deadline) {
        throw new ValidationFailed(
            target.name() + " holds " + count + " messages, but " + expected + " were sent and acknowledged");
      }
      sleep(5);
    }
  }

  /**
   * Checks that the target received exactly {@code messages} messages of exactly {@code data}.
   *
   * @return the tally
   */
  static Target.Tally validate(Target target, long messages, byte[] data) {
    awaitCount(target, messages);
    Target.Tally tally = target.tally(data);
    long bytes = messages * data.length;
    if (tally.messages() != messages || tally.bytes() != bytes || tally.mismatches() != 0) {
      throw new ValidationFailed(
          String.format(
              Locale.ROOT,
              "%s received %d messages, %d bytes, %d differing from what was sent; sent %d messages, %d bytes",
              target.name(),
              tally.messages(),
              tally.bytes(),
              tally.mismatches(),
              messages,
              bytes));
    }
    note(
        "validated %s: %d messages, %d bytes%s",
        target.name(),
        tally.messages(),
        tally.bytes(),
        tally.keepsData() ? ", every message byte for byte" : " (counted by the responder; it keeps no data)");
    return tally;
  }

  /** CPU time of this process so far (all threads), or 0 where the JVM does not tell. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
