package dev.smtpdouble.junit5;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static dev.smtpdouble.testing.Replies.AUTH_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.SecureMail;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Mail (Angus Mail) against doubles configured with {@code @SmtpServer}: STARTTLS
 * opportunistic and required, implicit TLS, every AUTH mechanism it can speak, and the failures a
 * mailer must report. The client trusts only the double's CA and checks the host name.
 */
@Timeout(60)
@SmtpServer(tls = TlsMode.STARTTLS)
class JakartaMailSecureTest {

  private static Properties starttls(SmtpDouble smtp) {
    return SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
  }

  @Test
  void startTlsEnableUpgradesWhenOffered(SmtpDouble smtp) throws Exception {
    Properties props = starttls(smtp);
    props.remove("mail.smtp.starttls.required");

    SecureMail.send(props);

    assertThat(smtp).hasReceived(1).first().wasEncrypted().wasNotAuthenticated();
    assertThat(smtp.transcript())
        .containsExchange("STARTTLS", 220)
        .containsCommandsInOrder("EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "DATA", "QUIT");
    assertThat(smtp).hasNoViolations();
  }

  @Test
  @SmtpServer(requireTls = Toggle.ON)
  void startTlsRequiredMeetsADoubleThatRequiresIt(SmtpDouble smtp) throws Exception {
    SecureMail.send(starttls(smtp));

    assertThat(smtp).first().wasEncrypted().hasTlsProtocol("TLSv1.3");
  }

  @Test
  @SmtpServer(tls = TlsMode.IMPLICIT)
  void sslEnableSpeaksImplicitTls(SmtpDouble smtp) throws Exception {
    SecureMail.send(SecureMail.implicit(smtp, smtp.clientTls().socketFactory()));

    assertThat(smtp).first().wasEncrypted();
    assertThat(smtp.transcript()).doesNotContainCommand("STARTTLS");
    assertThat(smtp.transcript().toString()).contains("* TLS started: TLSv1.3 ");
  }

  @Test
  @SmtpServer(users = "alice:s3cret", authMechanisms = AuthMechanism.PLAIN)
  void plain(SmtpDouble smtp) throws Exception {
    SecureMail.send(starttls(smtp), "alice", "s3cret");

    assertThat(smtp).first().wasAuthenticatedAs("alice").wasAuthenticatedWith(AuthMechanism.PLAIN);
  }

  @Test
  @SmtpServer(users = "alice:s3cret", authMechanisms = AuthMechanism.LOGIN)
  void login(SmtpDouble smtp) throws Exception {
    SecureMail.send(starttls(smtp), "alice", "s3cret");

    assertThat(smtp).first().wasAuthenticatedAs("alice").wasAuthenticatedWith(AuthMechanism.LOGIN);
  }

  @Test
  @SmtpServer(users = "alice@example.test:ya29.token")
  void xoauth2(SmtpDouble smtp) throws Exception {
    Properties props = starttls(smtp);
    props.put("mail.smtp.auth.mechanisms", "XOAUTH2");

    SecureMail.send(props, "alice@example.test", "ya29.token");

    assertThat(smtp)
        .first()
        .wasAuthenticatedAs("alice@example.test")
        .wasAuthenticatedWith(AuthMechanism.XOAUTH2);
    assertThat(smtp.transcript().toString()).doesNotContain("ya29.token");
  }

  @Test
  @SmtpServer(users = "alice:s3cret")
  void withEveryMechanismOfferedAngusMailPicksLogin(SmtpDouble smtp) throws Exception {
    SecureMail.send(starttls(smtp), "alice", "s3cret");

    assertThat(smtp).first().wasAuthenticatedWith(AuthMechanism.LOGIN);
  }

  /** Angus Mail has no CRAM-MD5 of its own; through SASL it uses the JDK's. */
  @Test
  @SmtpServer(users = "alice:s3cret", authMechanisms = AuthMechanism.CRAM_MD5)
  void cramMd5ThroughSasl(SmtpDouble smtp) throws Exception {
    Properties props = starttls(smtp);
    props.put("mail.smtp.sasl.enable", "true");
    props.put("mail.smtp.sasl.mechanisms", "CRAM-MD5");

    SecureMail.send(props, "alice", "s3cret");

    assertThat(smtp)
        .first()
        .wasAuthenticatedAs("alice")
        .wasAuthenticatedWith(AuthMechanism.CRAM_MD5);
  }

  @Test
  @SmtpServer(users = "alice:s3cret")
  void aBadPasswordIsRefusedWith535WithEveryMechanism(SmtpDouble smtp) {
    for (String mechanism : new String[] {"PLAIN", "LOGIN"}) {
      Properties props = starttls(smtp);
      props.put("mail.smtp.auth.mechanisms", mechanism);
      assertThatThrownBy(() -> SecureMail.send(props, "alice", "wrong"))
          .as(mechanism)
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining(AUTH_FAILED);
    }
    // XOAUTH2 fails with the JSON error challenge (RFC 7628), which Angus Mail reports as it is
    Properties xoauth2 = starttls(smtp);
    xoauth2.put("mail.smtp.auth.mechanisms", "XOAUTH2");
    assertThatThrownBy(() -> SecureMail.send(xoauth2, "alice", "wrong"))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageStartingWith("334 ")
        .satisfies(
            e ->
                assertThat(
                        new String(
                            Base64.getDecoder().decode(e.getMessage().substring(4).strip()),
                            StandardCharsets.UTF_8))
                    .contains("\"status\":\"401\""));
    Properties cram = starttls(smtp);
    cram.put("mail.smtp.sasl.enable", "true");
    cram.put("mail.smtp.sasl.mechanisms", "CRAM-MD5");
    assertThatThrownBy(() -> SecureMail.send(cram, "alice", "wrong"))
        .isInstanceOf(AuthenticationFailedException.class);
    assertThat(smtp.transcript()).containsExchange("AUTH", 535);
    assertThat(smtp).hasNoMessages();
  }

  @Test
  @SmtpServer(requireTls = Toggle.ON)
  void withoutStartTlsTheDoubleThatRequiresItAnswers530(SmtpDouble smtp) {
    assertThatThrownBy(() -> SecureMail.send(SecureMail.plain(smtp)))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("530 5.7.0 Must issue a STARTTLS command first");
    assertThat(smtp.transcript()).containsExchange("MAIL", 530);
    assertThat(smtp).hasNoMessages();
  }

  @Test
  @SmtpServer(users = "alice:s3cret", plaintextAuthNeedsTls = Toggle.ON)
  void plaintextMechanismsWaitForTls(SmtpDouble smtp) throws Exception {
    Properties noTls = SecureMail.plain(smtp);
    // before TLS, only CRAM-MD5 is offered, which Angus Mail does not speak by itself
    assertThatThrownBy(() -> SecureMail.send(noTls, "alice", "s3cret"))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("No authentication mechanisms supported by both server and client");

    SecureMail.send(starttls(smtp), "alice", "s3cret");

    assertThat(smtp).hasReceived(1).first().wasEncrypted().wasAuthenticatedAs("alice");
  }

  @Test
  @SmtpServer(script = "tls-fail to STARTTLS")
  void aFailedHandshakeIsReported(SmtpDouble smtp) {
    assertThatThrownBy(() -> SecureMail.send(starttls(smtp)))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("Could not convert socket to TLS")
        .hasRootCauseInstanceOf(SSLHandshakeException.class)
        .rootCause()
        .hasMessageContaining("handshake_failure");
    SecureMail.awaitEnded(smtp);
    assertThat(smtp.transcript().sessions().get(0).ending())
        .isEqualTo(Transcript.Ending.TLS_FAILED);
    assertThat(smtp).hasNoMessages().hasNoUnusedRules();
  }

  @Test
  @SmtpServer(tls = TlsMode.IMPLICIT, script = "tls-fail to CONNECT once")
  void aFailedImplicitHandshakeIsReportedAndTheNextConnectionWorks(SmtpDouble smtp)
      throws Exception {
    Properties props = SecureMail.implicit(smtp, smtp.clientTls().socketFactory());
    assertThatThrownBy(() -> SecureMail.send(props))
        .isInstanceOf(MessagingException.class)
        .hasRootCauseInstanceOf(SSLHandshakeException.class);

    SecureMail.send(props);

    assertThat(smtp).hasReceived(1).first().wasEncrypted();
  }

  @Test
  @SmtpServer(script = "reply 454 \"4.7.0 TLS not available\" to STARTTLS")
  void aRefusedStartTlsIsReported(SmtpDouble smtp) {
    assertThatThrownBy(() -> SecureMail.send(starttls(smtp)))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("454 4.7.0 TLS not available");
  }

  @Test
  void theDefaultTrustOfTheJdkRefusesTheDoublesCertificate(SmtpDouble smtp) {
    Properties props = SecureMail.plain(smtp);
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.checkserveridentity", "true");

    assertThatThrownBy(() -> SecureMail.send(props))
        .hasCauseInstanceOf(SSLHandshakeException.class)
        .hasStackTraceContaining("unable to find valid certification path to requested target");
  }
}
