package dev.smtpdouble.junit5;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static dev.smtpdouble.testing.Replies.AUTH_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.TLS_READY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.SecureMail;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Base64;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The TLS, AUTH and strictness attributes of {@code @SmtpServer}, layered like the others, and the
 * certificates for fault tests with the trust material that reaches the test.
 */
@Timeout(60)
class SmtpServerSecurityTest {
  static SmtpDouble lastDouble;

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  // ---- TLS and AUTH, layered ----

  @Tag("fixture")
  @SmtpServer(
      tls = TlsMode.STARTTLS,
      requireTls = Toggle.ON,
      users = {"alice:s3cret", "bob:pass:with:colons"},
      requireAuth = Toggle.ON)
  static class SecureClassTestCase {
    @Test
    void sendsOverStartTlsAndLogsIn(SmtpDouble smtp) throws Exception {
      Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
      props.put("mail.smtp.auth.mechanisms", "PLAIN");

      SecureMail.send(props, "alice", "s3cret");

      assertThat(smtp)
          .hasReceived(1)
          .first()
          .wasEncrypted()
          .hasTlsProtocol("TLSv1.3")
          .wasAuthenticatedAs("alice")
          .wasAuthenticatedWith(AuthMechanism.PLAIN);
      assertThat(smtp.settings().tls().isRequired()).isTrue();
      assertThat(smtp.settings().tls().usesDefaultCertificate()).isTrue();
      assertThat(smtp.transcript().toString()).doesNotContain("s3cret", b64("\0alice\0s3cret"));
    }

    @Test
    void theSecretIsEverythingAfterTheFirstColon(SmtpDouble smtp) throws Exception {
      Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
      props.put("mail.smtp.auth.mechanisms", "LOGIN");

      SecureMail.send(props, "bob", "pass:with:colons");

      assertThat(smtp).first().wasAuthenticatedAs("bob").wasAuthenticatedWith(AuthMechanism.LOGIN);
    }

    @Test
    @SmtpServer(tls = TlsMode.IMPLICIT)
    void aMethodSwitchesToImplicitTlsAndKeepsTheRest(SmtpDouble smtp) throws Exception {
      SecureMail.send(
          SecureMail.implicit(smtp, smtp.clientTls().socketFactory()), "alice", "s3cret");

      assertThat(smtp).first().wasEncrypted().wasAuthenticatedAs("alice");
      assertThat(smtp.settings().requireAuth()).isTrue();
    }

    @Test
    @SmtpServer(tls = TlsMode.OFF, requireAuth = Toggle.OFF)
    void aMethodSwitchesTlsAndRequiredAuthOff(SmtpDouble smtp) throws Exception {
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("EHLO client.test"))
            .doesNotContain("STARTTLS")
            .endsWith("250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2");
      }
      SecureMail.send(SecureMail.plain(smtp));

      assertThat(smtp).first().wasNotEncrypted().wasNotAuthenticated();
      assertThatThrownBy(smtp::clientTls).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutStartTlsMailIsRefusedWith530(SmtpDouble smtp) {
      assertThatThrownBy(() -> SecureMail.send(SecureMail.plain(smtp)))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("530 5.7.0 Must issue a STARTTLS command first");
      assertThat(smtp).hasNoMessages();
    }

    @Test
    void withoutAuthMailIsRefusedWith530(SmtpDouble smtp) {
      Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
      assertThatThrownBy(() -> SecureMail.send(props))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("530 5.7.0 Authentication required");
    }

    @Test
    void aWrongPasswordIsRefusedWith535(SmtpDouble smtp) {
      Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
      assertThatThrownBy(() -> SecureMail.send(props, "alice", "wrong"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("535 5.7.8");
      assertThat(smtp).hasNoMessages();
    }

    @Test
    void theDoubleServesItsOwnCertificate(SmtpDouble smtp) {
      assertThatThrownBy(() -> TestCertificate.of(smtp))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageEndingWith(
              " serves no certificate made by the extension: start it with @SmtpServer(tls ="
                  + " TlsMode.STARTTLS, certificate = ServerCertificate.EXPIRED) or another"
                  + " certificate, or, for the double's own certificate, use smtp.clientTls()");
    }
  }

  @Test
  void tlsAndAuthAttributesConfigureTheDoubleAndMethodsRefineThem() {
    Fixtures.assertAllPassed(Fixtures.run(SecureClassTestCase.class), 8);
  }

  @Tag("fixture")
  static class SessionAttributesTestCase {
    @Test
    void nothingSetMeansNoTlsNoAuthAndLenient(@SmtpServer SmtpDouble smtp) {
      assertThat(smtp.settings().tls()).isNull();
      assertThat(smtp.settings().authEnabled()).isFalse();
      assertThat(smtp.settings().strict()).isFalse();
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("MAIL FROM:<a@example.test>")).isEqualTo(MAIL_OK);
      }
    }

    @Test
    void strictRefusesMailBeforeEhlo(@SmtpServer(strict = Toggle.ON) SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("MAIL FROM:<a@example.test>"))
            .isEqualTo("503 5.5.1 Error: send HELO/EHLO first");
      }
    }

    @Test
    void hiddenStartTlsIsAcceptedButNotAdvertised(
        @SmtpServer(tls = TlsMode.STARTTLS, hideStarttls = Toggle.ON) SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("EHLO client.test")).doesNotContain("STARTTLS");
        assertThat(wire.command("STARTTLS")).isEqualTo(TLS_READY);
      }
    }

    @Test
    void jakartaMailThatRequiresStartTlsGivesUpWhenItIsHidden(
        @SmtpServer(tls = TlsMode.STARTTLS, hideStarttls = Toggle.ON) SmtpDouble smtp) {
      Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
      assertThatThrownBy(() -> SecureMail.send(props))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("STARTTLS is required but host does not support STARTTLS");
    }

    @Test
    void onlyTheChosenMechanismsAreOffered(
        @SmtpServer(
                users = "alice:s3cret",
                authMechanisms = {AuthMechanism.XOAUTH2, AuthMechanism.CRAM_MD5})
            SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("EHLO client.test")).endsWith("250 AUTH CRAM-MD5 XOAUTH2");
        assertThat(wire.command("AUTH PLAIN " + b64("\0alice\0s3cret")))
            .isEqualTo("504 5.5.4 Unrecognized authentication type");
      }
    }

    @Test
    void plaintextAuthNeedsTlsRefusesPlainBeforeStartTls(
        @SmtpServer(
                tls = TlsMode.STARTTLS,
                users = "alice:s3cret",
                plaintextAuthNeedsTls = Toggle.ON)
            SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        wire.command("EHLO client.test");
        assertThat(wire.command("AUTH PLAIN " + b64("\0alice\0s3cret")))
            .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
      }
    }

    @Test
    void secretsAreMaskedUnlessShown(
        @SmtpServer(users = "alice:s3cret") SmtpDouble masked,
        @SmtpServer(users = "alice:s3cret", showSecrets = Toggle.ON) SmtpDouble shown) {
      String response = b64("\0alice\0s3cret");
      for (SmtpDouble smtp : new SmtpDouble[] {masked, shown}) {
        try (RawClient wire = RawClient.greeted(smtp)) {
          wire.command("EHLO client.test");
          assertThat(wire.command("AUTH PLAIN " + response))
              .isEqualTo(AUTH_OK);
        }
      }
      assertThat(masked.transcript().toString())
          .contains("C: AUTH PLAIN ****")
          .doesNotContain(response);
      assertThat(shown.transcript().toString()).contains("C: AUTH PLAIN " + response);
    }
  }

  @Test
  void eachSessionAttributeReachesTheDouble() {
    Fixtures.assertAllPassed(Fixtures.run(SessionAttributesTestCase.class), 7);
  }

  @Tag("fixture")
  @SmtpServer(strict = Toggle.ON)
  static class StrictClassTestCase {
    @Test
    @SmtpServer(strict = Toggle.OFF)
    void aMethodOptsOutOfStrictMode(SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("MAIL FROM:<a@example.test>")).isEqualTo(MAIL_OK);
      }
      assertThat(smtp).hasViolation(dev.smtpdouble.Violation.Kind.MAIL_BEFORE_HELO);
    }

    @Test
    void theOthersAreStrict(SmtpDouble smtp) {
      assertThat(smtp.settings().strict()).isTrue();
    }
  }

  @Test
  void aMethodOverridesTheClassesStrictness() {
    Fixtures.assertAllPassed(Fixtures.run(StrictClassTestCase.class), 2);
  }

  // ---- certificates for fault tests ----

  @Tag("fixture")
  static class CertificatesTestCase {
    @Test
    @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.EXPIRED)
    void anExpiredCertificateIsRefused(SmtpDouble smtp, TestCertificate certificate) {
      lastDouble = smtp;
      assertThat(certificate.kind()).isEqualTo(TestCertificate.Kind.EXPIRED);
      assertThat(TestCertificate.of(smtp)).isSameAs(certificate);
      assertThat(smtp.settings().tls().usesDefaultCertificate()).isFalse();

      assertThatThrownBy(
              () -> SecureMail.send(SecureMail.starttls(smtp, certificate.socketFactory())))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasRootCauseInstanceOf(CertificateExpiredException.class);
      assertThat(smtp).hasNoMessages();
    }

    @Test
    @SmtpServer(tls = TlsMode.IMPLICIT, certificate = ServerCertificate.NOT_YET_VALID)
    void theCertificateParameterMayComeFirst(TestCertificate certificate, SmtpDouble smtp) {
      assertThat(TestCertificate.of(smtp)).isSameAs(certificate);

      assertThatThrownBy(
              () -> SecureMail.send(SecureMail.implicit(smtp, certificate.socketFactory())))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasRootCauseInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.WRONG_HOST)
    void aCertificateForAnotherHostIsRefused(SmtpDouble smtp, TestCertificate certificate) {
      assertThatThrownBy(
              () -> SecureMail.send(SecureMail.starttls(smtp, certificate.socketFactory())))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.SELF_SIGNED)
    void aSelfSignedCertificateIsRefused(SmtpDouble smtp, TestCertificate certificate) {
      assertThatThrownBy(
              () -> SecureMail.send(SecureMail.starttls(smtp, certificate.socketFactory())))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("unable to find valid certification path to requested target");
    }

    @Test
    @SmtpServer(
        tls = TlsMode.STARTTLS,
        requireTls = Toggle.ON,
        certificate = ServerCertificate.VALID,
        users = "alice:s3cret")
    void aValidCertificateIsAccepted(SmtpDouble smtp, TestCertificate certificate)
        throws Exception {
      SecureMail.send(SecureMail.starttls(smtp, certificate.socketFactory()), "alice", "s3cret");

      assertThat(smtp).first().wasEncrypted().wasAuthenticatedAs("alice");
      // for a certificate the CA issued, the double's clientTls() trusts the root it serves
      assertThat(smtp.clientTls().certificate()).isEqualTo(certificate.caCertificate());
    }
  }

  @Test
  void aTestCertificateParameterGetsTheCertificateOfTheTestsDouble() {
    Fixtures.assertAllPassed(Fixtures.run(CertificatesTestCase.class), 5);

    assertThatThrownBy(() -> TestCertificate.of(lastDouble))
        .as("the certificate is forgotten with the double")
        .isInstanceOf(IllegalStateException.class);
  }

  @Tag("fixture")
  @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.WRONG_HOST)
  static class CertificateFieldsTestCase {
    @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.SELF_SIGNED)
    static SmtpDouble shared;

    @SmtpServer(tls = TlsMode.IMPLICIT, certificate = ServerCertificate.EXPIRED)
    SmtpDouble own;

    @Test
    void fieldsGetTheirCertificatesThroughTestCertificateOf(SmtpDouble smtp, TestCertificate mine) {
      assertThat(TestCertificate.of(shared).kind()).isEqualTo(TestCertificate.Kind.SELF_SIGNED);
      assertThat(TestCertificate.of(own).kind()).isEqualTo(TestCertificate.Kind.EXPIRED);
      assertThat(mine.kind()).isEqualTo(TestCertificate.Kind.WRONG_HOST);
      assertThat(TestCertificate.of(smtp)).isSameAs(mine);

      TestCertificate ownCertificate = TestCertificate.of(own);
      assertThatThrownBy(
              () -> SecureMail.send(SecureMail.implicit(own, ownCertificate.socketFactory())))
          .hasRootCauseInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void theSharedDoubleKeepsItsCertificate() {
      TestCertificate certificate = TestCertificate.of(shared);
      assertThatThrownBy(
              () -> SecureMail.send(SecureMail.starttls(shared, certificate.socketFactory())))
          .hasStackTraceContaining("unable to find valid certification path to requested target");
    }
  }

  @Test
  void fieldsReachTheirCertificatesThroughTestCertificateOf() {
    Fixtures.assertAllPassed(Fixtures.run(CertificateFieldsTestCase.class), 2);
  }

  // ---- misuse ----

  @Tag("fixture")
  static class MisuseTestCase {
    @Test
    @SmtpServer(requireTls = Toggle.ON)
    void requireTlsWithoutTls(SmtpDouble smtp) {}

    @Test
    @SmtpServer(certificate = ServerCertificate.EXPIRED)
    void certificateWithoutTls(SmtpDouble smtp) {}

    @Test
    @SmtpServer(users = {"alice:s3cret", "bob"})
    void malformedUser(SmtpDouble smtp) {}

    @Test
    @SmtpServer(requireAuth = Toggle.ON)
    void requireAuthWithoutUsers(SmtpDouble smtp) {}

    @Test
    @SmtpServer(tls = TlsMode.STARTTLS)
    void certificateOfTheDoublesOwn(SmtpDouble smtp, TestCertificate certificate) {}

    @Test
    void annotatedCertificateParameter(@SmtpServer TestCertificate certificate) {}
  }

  @Test
  void misuseFailsEachTestSayingWhatToChange() {
    EngineExecutionResults results = Fixtures.run(MisuseTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(6).failed(6));
    String prefix = "@SmtpServer on method [void " + MisuseTestCase.class.getName();
    assertThat(failure(results, "requireTlsWithoutTls"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            prefix
                + ".requireTlsWithoutTls(dev.smtpdouble.SmtpDouble)] sets requireTls = Toggle.ON"
                + " without TLS: add tls = TlsMode.STARTTLS or tls = TlsMode.IMPLICIT");
    assertThat(failure(results, "certificateWithoutTls"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageEndingWith(
            "] sets certificate = ServerCertificate.EXPIRED without TLS: add tls ="
                + " TlsMode.STARTTLS or tls = TlsMode.IMPLICIT");
    assertThat(failure(results, "malformedUser"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageEndingWith(
            "] has a malformed user: users must be \"name:secret\", but one was \"bob\"");
    assertThat(failure(results, "requireAuthWithoutUsers"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageEndingWith(
            "] sets requireAuth = Toggle.ON without users: add users = \"name:secret\"");
    assertThat(failure(results, "certificateOfTheDoublesOwn"))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageContaining(
            " cannot be resolved: the test's double serves no certificate made by the extension."
                + " Set @SmtpServer(tls = TlsMode.STARTTLS, certificate ="
                + " ServerCertificate.EXPIRED) or another certificate on the test method or class;"
                + " for the double of a field or an annotated parameter, call"
                + " TestCertificate.of(smtp).");
    assertThat(failure(results, "annotatedCertificateParameter"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageEndingWith(
            " must be of type dev.smtpdouble.SmtpDouble but was:"
                + " dev.smtpdouble.junit5.TestCertificate");
  }

  private static Throwable failure(EngineExecutionResults results, String test) {
    return results
        .testEvents()
        .failed()
        .filter(event -> event.getTestDescriptor().getDisplayName().startsWith(test + "("))
        .map(Fixtures::throwable)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no failed test " + test));
  }
}
