package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.ServerCertificate;
import dev.smtpdouble.junit5.TestCertificate;
import dev.smtpdouble.junit5.TlsMode;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import java.security.cert.CertificateExpiredException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.mail.MailSendException;

/**
 * A certificate made for a fault test: the SSL bundle trusts its CA, so the application meets
 * exactly the fault asked for, and a valid one works.
 */
@Timeout(60)
@SpringBootTest(classes = MailApplication.class, properties = "app.mail.attempts=1")
@EnableSmtpDouble(tls = TlsMode.STARTTLS)
class FaultCertificateTest {

  @Nested
  @EnableSmtpDouble(certificate = ServerCertificate.VALID)
  class Valid {
    @Autowired WelcomeMailer mailer;
    @Autowired SmtpDouble smtp;
    @Autowired Environment environment;

    @Test
    void isTrustedThroughTheBundle() {
      assertThat(environment.getProperty("spring.ssl.bundle.pem.smtp-double.truststore.certificate"))
          .isEqualTo(TestCertificate.of(smtp).caCertificatePem());

      mailer.welcome("ivan@example.test");

      assertThat(smtp).hasReceived(1).first().wasEncrypted();
    }
  }

  @Nested
  @EnableSmtpDouble(certificate = ServerCertificate.EXPIRED)
  class Expired {
    @Autowired WelcomeMailer mailer;
    @Autowired SmtpDouble smtp;

    @Test
    void failsTheHandshakeForItsExpiry() {
      assertThatThrownBy(() -> mailer.welcome("judy@example.test"))
          .isInstanceOf(MailSendException.class)
          .hasRootCauseInstanceOf(CertificateExpiredException.class);
      assertThat(smtp.messages()).isEmpty();
    }
  }
}
