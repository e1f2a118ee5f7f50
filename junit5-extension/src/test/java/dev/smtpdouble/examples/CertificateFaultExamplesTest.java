package dev.smtpdouble.examples;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.junit5.ServerCertificate;
import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.junit5.TestCertificate;
import dev.smtpdouble.junit5.TestCertificates;
import dev.smtpdouble.junit5.TlsMode;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.security.cert.CertificateExpiredException;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The examples of "Certificates for fault tests" in docs/tls-and-auth.md, as they are printed there
 * (the docs check compares them): with the builder and {@code TestCertificates}, and with {@code
 * @SmtpServer(certificate = ...)} and a {@code TestCertificate} parameter.
 */
@Timeout(60)
class CertificateFaultExamplesTest {

  // tag::expired[]
  @Test
  void theMailerRefusesAnExpiredCertificate() throws Exception {
    TestCertificate expired =
        TestCertificates.expired(); // a fresh CA; the server's expired yesterday
    try (SmtpDouble smtp =
        SmtpDouble.builder().tls(expired.applyTo(Tls.starttls().required())).start()) {
      Properties props = new Properties();
      props.put("mail.smtp.host", smtp.host());
      props.put("mail.smtp.port", String.valueOf(smtp.port()));
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", expired.socketFactory()); // trusts the test CA only
      props.put("mail.smtp.ssl.checkserveridentity", "true");
      MimeMessage message = new MimeMessage(Session.getInstance(props));
      message.setFrom("app@example.test");
      message.setRecipients(Message.RecipientType.TO, "alice@example.test");
      message.setText("Hello");

      assertThatThrownBy(() -> Transport.send(message))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasRootCauseInstanceOf(CertificateExpiredException.class);
      assertThat(smtp).hasNoMessages();
    }
  }
  // end::expired[]

  // tag::wrong-host[]
  @Test
  @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.WRONG_HOST)
  void theMailerRefusesACertificateForAnotherHost(SmtpDouble smtp, TestCertificate certificate)
      throws Exception {
    Properties props = new Properties();
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", String.valueOf(smtp.port()));
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", certificate.socketFactory());
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    MimeMessage message = new MimeMessage(Session.getInstance(props));
    message.setFrom("app@example.test");
    message.setRecipients(Message.RecipientType.TO, "alice@example.test");
    message.setText("Hello");

    assertThatThrownBy(() -> Transport.send(message))
        .hasCauseInstanceOf(SSLHandshakeException.class)
        .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    assertThat(smtp).hasNoMessages();
  }
  // end::wrong-host[]
}
