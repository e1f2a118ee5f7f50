/**
 * smtp-double for JUnit Jupiter and AssertJ.
 *
 * <p>{@link dev.smtpdouble.junit5.SmtpServer @SmtpServer} starts a double for a test class, test
 * method, field or parameter and stops it after the test; {@link
 * dev.smtpdouble.assertj.SmtpAssertions#assertThat(dev.smtpdouble.SmtpDouble)} checks what arrived,
 * waiting for asynchronous senders. Works on JUnit Jupiter 5.14 and 6.
 */
// Awaitility 4.3.0 has neither a module descriptor nor an Automatic-Module-Name, so its module is
// the automatic module "awaitility" named after the jar file; -Xlint:all warns about requiring an
// automatic module (requires-automatic). The warning is suppressed here, for this module only, and
// Awaitility is required non-transitively: no Awaitility type appears in the API.
@SuppressWarnings("requires-automatic")
module dev.smtpdouble.junit {
  requires transitive dev.smtpdouble;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires awaitility;
  requires static jakarta.mail;
  // Optional: only TestCertificates and @SmtpServer(certificate = ...) use Bouncy Castle.
  requires static org.bouncycastle.pkix;
  requires static org.bouncycastle.provider;

  exports dev.smtpdouble.junit5;
  exports dev.smtpdouble.assertj;
}
