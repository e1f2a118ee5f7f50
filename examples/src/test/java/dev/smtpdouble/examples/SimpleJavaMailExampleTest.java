package dev.smtpdouble.examples;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.junit5.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.simplejavamail.MailException;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/** Simple Java Mail: a {@code Mailer} built for the injected double's host and port. */
@SmtpServer
@Timeout(30)
class SimpleJavaMailExampleTest {

  static Mailer mailer(SmtpDouble smtp) {
    return MailerBuilder.withSMTPServer(smtp.host(), smtp.port()).withSessionTimeout(2000).buildMailer();
  }

  static Email newsletter() {
    return EmailBuilder.startingBlank()
        .from("News", "news@example.test")
        .to("Alice", "alice@example.test")
        .withSubject("Spring sale")
        .withPlainText("Everything is 20% off this week.\n")
        .withHeader("X-Campaign", "spring")
        .buildEmail();
  }

  @Test
  void sendsTheNewsletter(SmtpDouble smtp) {
    mailer(smtp).sendMail(newsletter());

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("news@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Spring sale")
        .hasHeader("X-Campaign", "spring")
        .bodyContains("20% off");
    assertThat(smtp).hasNoViolations();
  }

  @Test
  @SmtpServer(script = "reply 421 \"4.3.2 Try again later\" to MAIL once")
  void doesNotRetryA421(SmtpDouble smtp) {
    Mailer mailer = mailer(smtp);

    assertThatThrownBy(() -> mailer.sendMail(newsletter()))
        .isInstanceOf(MailException.class)
        .hasRootCauseMessage("421 4.3.2 Try again later\n");
    assertThat(smtp).hasNoMessages();
    assertThat(smtp.transcript()).containsExchange("MAIL", 421).hasSessions(1);
  }

  @Test
  void upgradesToTlsWhenTheServerRequiresIt() {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().required()).start()) {
      Mailer mailer =
          MailerBuilder.withSMTPServer(smtp.host(), smtp.port())
              .withTransportStrategy(TransportStrategy.SMTP_TLS) // STARTTLS, required
              .withCustomSSLFactoryInstance(smtp.clientTls().socketFactory())
              .withSessionTimeout(2000)
              .buildMailer();

      mailer.sendMail(newsletter());

      assertThat(smtp).hasReceived(1).first().hasSubject("Spring sale").isAccepted();
      assertThat(smtp.messages().get(0).encrypted()).isTrue();
    }
  }
}
