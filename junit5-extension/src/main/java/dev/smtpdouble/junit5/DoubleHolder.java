package dev.smtpdouble.junit5;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.internal.AwaitTimeouts;
import dev.smtpdouble.junit5.internal.Evidence;
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

  boolean failOnUnusedRules() {
    return failOnUnusedRules;
  }

  boolean failOnViolations() {
    return failOnViolations;
  }

  /** The certificate made for the double, or null when it serves its own or has no TLS. */
  TestCertificate certificate() {
    return certificate;
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
