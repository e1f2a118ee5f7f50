package dev.smtpdouble.script;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import java.time.Duration;
import java.util.Optional;

/** Bounded waits for what a session's thread records after the client already saw the effect. */
final class Sessions {
  private static final Duration BOUND = Duration.ofSeconds(5);

  private Sessions() {}

  /** The session once it has ended; fails after 5 s. */
  static Transcript.Session ended(SmtpDouble smtp, int number) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      Optional<Transcript.Session> session = smtp.transcript().session(number);
      if (session.isPresent() && session.get().ending() != Transcript.Ending.OPEN) {
        return session.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "session " + number + " did not end within " + BOUND + ":\n" + smtp.transcript());
      }
      pause();
    }
  }

  /** The session once its rendering contains {@code text}; fails after 5 s. */
  static Transcript.Session showing(SmtpDouble smtp, int number, String text) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      Optional<Transcript.Session> session = smtp.transcript().session(number);
      if (session.isPresent() && session.get().toString().contains(text)) {
        return session.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "session " + number + " never showed \"" + text + "\":\n" + smtp.transcript());
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
