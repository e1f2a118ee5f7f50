package dev.smtpdouble.assertj;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.junit5.TlsMode;
import dev.smtpdouble.testing.SecureMail;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TLS and AUTH assertions on a message, passing and failing with their exact messages. */
@Timeout(60)
@SmtpServer(tls = TlsMode.STARTTLS, users = "alice:s3cret")
class SecureSessionAssertTest {
  private static final String SUMMARY =
      "from <app@example.test> to [alice@example.test], subject \"Secure\", answered 250 2.0.0"
          + " Ok: queued";

  private static ReceivedMessage secure(SmtpDouble smtp) throws Exception {
    Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
    props.put("mail.smtp.auth.mechanisms", "PLAIN");
    SecureMail.send(props, "alice", "s3cret");
    return smtp.takeMessage(Duration.ofSeconds(5));
  }

  private static ReceivedMessage plain(SmtpDouble smtp) throws Exception {
    SecureMail.send(SecureMail.plain(smtp));
    return smtp.takeMessage(Duration.ofSeconds(5));
  }

  @Test
  void aMessageOverTlsFromALoggedInUserPasses(SmtpDouble smtp) throws Exception {
    ReceivedMessage message = secure(smtp);

    assertThat(message)
        .wasEncrypted()
        .hasTlsProtocol(message.tlsProtocol().orElseThrow())
        .hasTlsCipherSuite(message.tlsCipherSuite().orElseThrow())
        .wasAuthenticatedAs("alice")
        .wasAuthenticatedWith(AuthMechanism.PLAIN)
        .isAccepted();
  }

  @Test
  void aPlainAnonymousMessagePasses(SmtpDouble smtp) throws Exception {
    assertThat(plain(smtp)).wasNotEncrypted().wasNotAuthenticated();
  }

  @Test
  void encryptionFailuresSayWhatTheSessionWas(SmtpDouble smtp) throws Exception {
    ReceivedMessage encrypted = secure(smtp);
    ReceivedMessage unencrypted = plain(smtp);
    String tls = encrypted.tlsProtocol().orElseThrow() + " " + encrypted.tlsCipherSuite().get();

    assertThatThrownBy(() -> assertThat(unencrypted).wasEncrypted())
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "Expecting message\n  "
                + SUMMARY
                + "\nto have been sent over TLS (STARTTLS or implicit TLS), but its session was"
                + " not encrypted");
    assertThatThrownBy(() -> assertThat(encrypted).wasNotEncrypted())
        .hasMessage(
            "Expecting message\n  "
                + SUMMARY
                + "\nnot to have been sent over TLS, but its session was encrypted with:\n  "
                + tls);
    assertThatThrownBy(() -> assertThat(encrypted).hasTlsProtocol("TLSv1.1"))
        .hasMessage(
            "Expecting message\n  "
                + SUMMARY
                + "\nto have been sent over TLS protocol:\n  TLSv1.1\nbut its session was:\n"
                + "  encrypted with "
                + tls);
    assertThatThrownBy(() -> assertThat(unencrypted).hasTlsProtocol("TLSv1.3"))
        .hasMessageEndingWith(
            "\nto have been sent over TLS protocol:\n  TLSv1.3\nbut its session was:\n"
                + "  not encrypted");
    assertThatThrownBy(() -> assertThat(encrypted).hasTlsCipherSuite("TLS_NULL_WITH_NULL_NULL"))
        .hasMessageEndingWith(
            "\nto have been sent with TLS cipher suite:\n  TLS_NULL_WITH_NULL_NULL\n"
                + "but its session was:\n  encrypted with "
                + tls);
    assertThatThrownBy(() -> assertThat(unencrypted).hasTlsCipherSuite("TLS_AES_128_GCM_SHA256"))
        .hasMessageEndingWith("\nbut its session was:\n  not encrypted");
  }

  @Test
  void authenticationFailuresSayWhoTheSessionWas(SmtpDouble smtp) throws Exception {
    ReceivedMessage alice = secure(smtp);
    ReceivedMessage anonymous = plain(smtp);

    assertThatThrownBy(() -> assertThat(alice).wasAuthenticatedAs("bob"))
        .hasMessage(
            "Expecting message\n  "
                + SUMMARY
                + "\nto have been sent in a session authenticated as:\n  \"bob\"\n"
                + "but its session was:\n  authenticated as \"alice\" with PLAIN");
    assertThatThrownBy(() -> assertThat(anonymous).wasAuthenticatedAs("alice"))
        .hasMessageEndingWith(
            "\nto have been sent in a session authenticated as:\n  \"alice\"\n"
                + "but its session was:\n  not authenticated");
    assertThatThrownBy(() -> assertThat(alice).wasAuthenticatedWith(AuthMechanism.CRAM_MD5))
        .hasMessageEndingWith(
            "\nto have been sent in a session authenticated with:\n  CRAM-MD5\n"
                + "but its session was:\n  authenticated as \"alice\" with PLAIN");
    assertThatThrownBy(() -> assertThat(anonymous).wasAuthenticatedWith(AuthMechanism.PLAIN))
        .hasMessageEndingWith("\nbut its session was:\n  not authenticated");
    assertThatThrownBy(() -> assertThat(alice).wasNotAuthenticated())
        .hasMessage(
            "Expecting message\n  "
                + SUMMARY
                + "\nnot to have been sent in an authenticated session, but its session was:\n"
                + "  authenticated as \"alice\" with PLAIN");
  }

  @Test
  void aNullMessageFailsEachAssertion() {
    ReceivedMessage none = null;
    assertThatThrownBy(() -> assertThat(none).wasEncrypted()).hasMessageContaining("null");
    assertThatThrownBy(() -> assertThat(none).wasAuthenticatedAs("alice"))
        .hasMessageContaining("null");
  }

  @Test
  void softAssertionsCollectEveryFailure(SmtpDouble smtp) throws Exception {
    ReceivedMessage anonymous = plain(smtp);
    SmtpSoftAssertions softly = new SmtpSoftAssertions();

    softly
        .assertThat(anonymous)
        .wasEncrypted()
        .hasTlsProtocol("TLSv1.3")
        .hasTlsCipherSuite("TLS_AES_128_GCM_SHA256")
        .wasAuthenticatedAs("alice")
        .wasAuthenticatedWith(AuthMechanism.PLAIN)
        .wasNotEncrypted()
        .wasNotAuthenticated();

    assertThat(softly.errorsCollected())
        .hasSize(5)
        .allSatisfy(error -> assertThat(error).hasMessageStartingWith("Expecting message\n"));
  }
}
