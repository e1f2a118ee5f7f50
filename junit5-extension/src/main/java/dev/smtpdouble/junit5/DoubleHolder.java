package dev.smtpdouble.junit5;

import dev.smtpdouble.Rule;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.junit5.internal.AwaitTimeouts;
import dev.smtpdouble.junit5.internal.Evidence;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One double the extension started, as kept in the {@link ExtensionContext.Store}: JUnit closes it
 * when the context it was stored in ends (after the test, or after the class for static fields),
 * whether the test passed, failed or timed out.
 *
 * <p>It implements both {@link ExtensionContext.Store.CloseableResource} (what JUnit 5 before 5.13
 * closes, deprecated since 5.13 but still honoured by 5.14 and 6.0) and {@link AutoCloseable} (what
 * 5.13+ and 6 close by default, unless {@code
 * junit.jupiter.extensions.store.close.autocloseable.enabled} is false), so every version closes
 * it. Closing is idempotent, so a version that honours both closes it once.
 */
@SuppressWarnings("deprecation") // Store.CloseableResource, see above
final class DoubleHolder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private static final Duration CLOSING_SESSIONS = Duration.ofSeconds(1);
  private static final long POLL_MILLIS = 5;

  private final String name;
  private final SmtpDouble smtp;
  private final boolean failOnUnusedRules;
  private final boolean failOnViolations;
  private final TestCertificate certificate;
  private final AtomicBoolean closed = new AtomicBoolean();

  DoubleHolder(
      String name,
      SmtpDouble smtp,
      boolean failOnUnusedRules,
      boolean failOnViolations,
      TestCertificate certificate) {
    this.name = name;
    this.smtp = smtp;
    this.failOnUnusedRules = failOnUnusedRules;
    this.failOnViolations = failOnViolations;
    this.certificate = certificate;
    if (certificate != null) {
      ServedCertificates.register(smtp, certificate);
    }
  }

  String name() {
    return name;
  }

  SmtpDouble smtp() {
    return smtp;
  }

  /** The certificate made for the double, or null when it serves its own or has no TLS. */
  TestCertificate certificate() {
    return certificate;
  }

  /**
   * Resets the double for the next test that shares it, once the sessions the last test ended have
   * ended on the double's side too (see {@link #awaitClosingSessions}).
   */
  void reset() {
    awaitClosingSessions(smtp);
    smtp.reset();
  }

  /**
   * Waits, briefly, for sessions that are over but not yet marked so. {@link SmtpDouble#reset()}
   * keeps the transcript of open sessions, and the double marks a session ended only once its
   * thread has closed the socket, after sending 221 to QUIT (or a 421). A client that has read the
   * 221 has finished, but its session may still count as open for a moment: reset right then, the
   * previous test's session would stay in the next test's transcript. Sessions the client keeps
   * open are not waited for.
   */
  private static void awaitClosingSessions(SmtpDouble smtp) {
    // a plain loop, not Awaitility: this runs before every test that shares a double
    long deadline = System.nanoTime() + CLOSING_SESSIONS.toNanos();
    while (smtp.transcript().sessions().stream().anyMatch(DoubleHolder::closing)) {
      if (System.nanoTime() - deadline >= 0) {
        return; // a slow session stays in the transcript; nothing else depends on it
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean closing(Transcript.Session session) {
    if (session.ending() != Transcript.Ending.OPEN) {
      return false;
    }
    List<Transcript.Line> lines = session.lines();
    if (lines.isEmpty()) {
      return false;
    }
    Transcript.Line last = lines.get(lines.size() - 1);
    return last.direction() == Transcript.Direction.SERVER
        && (last.text().startsWith("221 ") || last.text().startsWith("421 "));
  }

  /** The report of a failed test: this double's address, counts and explained transcript. */
  String report() {
    return Evidence.report(name, smtp);
  }

  /**
   * Why a test that passed should fail after all: the rules that never acted and the violations,
   * each when this double was asked to fail on them.
   *
   * @return lines starting with {@code "- "}, or empty when there is nothing to fail for
   */
  String strictnessProblems() {
    StringBuilder out = new StringBuilder();
    if (failOnUnusedRules) {
      List<Rule> unused = smtp.unusedRules();
      if (!unused.isEmpty()) {
        out.append("- ")
            .append(this)
            .append(" has ")
            .append(unused.size())
            .append(unused.size() == 1 ? " rule" : " rules")
            .append(" that never acted (failOnUnusedRules):\n");
        unused.forEach(rule -> out.append("    ").append(rule).append('\n'));
      }
    }
    if (failOnViolations) {
      List<Violation> violations = smtp.violations();
      if (!violations.isEmpty()) {
        out.append("- ")
            .append(this)
            .append(" saw ")
            .append(violations.size())
            .append(violations.size() == 1 ? " protocol violation" : " protocol violations")
            .append(" by the client (failOnViolations):\n");
        violations.forEach(v -> out.append("    ").append(v).append('\n'));
      }
    }
    return out.toString();
  }

  /** Stops the double (bounded: {@link SmtpDouble#close()} joins its threads within seconds). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        smtp.close();
      } finally {
        AwaitTimeouts.unregister(smtp);
        ServedCertificates.unregister(smtp);
      }
    }
  }

  @Override
  public String toString() {
    return name + " (" + Evidence.where(smtp) + ")";
  }
}
