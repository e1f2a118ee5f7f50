package dev.smtpdouble.robustness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * The sizes of the robustness tests: small enough for every {@code mvn verify} by default, the
 * sizes of issue 9 with {@code -Dsmtpdouble.robustness=full}. Each test reports what it ran (bytes
 * fuzzed, messages sent, cycles, timings) on standard output and in {@code
 * target/robustness-summary.txt}.
 */
final class Robustness {
  /** The system property that selects the sizes: {@code full} for the large ones. */
  static final String PROPERTY = "smtpdouble.robustness";

  private static final Path SUMMARY = Path.of("target", "robustness-summary.txt");

  private Robustness() {}

  /** Whether the large sizes were asked for. */
  static boolean full() {
    return System.getProperty(PROPERTY, "").strip().equalsIgnoreCase("full");
  }

  /** {@code normal} by default, {@code large} with {@code -Dsmtpdouble.robustness=full}. */
  static int size(int normal, int large) {
    return full() ? large : normal;
  }

  /** Prints one summary line and appends it to {@code target/robustness-summary.txt}. */
  static synchronized void report(String format, Object... args) {
    String line =
        "[robustness " + (full() ? "full" : "default") + "] " + String.format(Locale.ROOT, format, args);
    System.out.println(line);
    try {
      Files.createDirectories(SUMMARY.getParent());
      Files.writeString(
          SUMMARY,
          Instant.now() + " " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Milliseconds since {@code startNanos}. */
  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Sleeps, keeping the interrupt flag. */
  static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
