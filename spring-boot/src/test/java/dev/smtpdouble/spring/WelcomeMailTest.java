package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The plain case: the starter's {@code JavaMailSender} sends to the double, and nothing else. */
@Timeout(60)
// tag::welcome-test[]
@SpringBootTest(classes = MailApplication.class)
@EnableSmtpDouble
class WelcomeMailTest {
  @Autowired WelcomeMailer mailer; // sends through the starter's JavaMailSender
  @Autowired SmtpDouble smtp; // the double spring.mail.host and spring.mail.port point at

  @Test
  void sendsTheWelcomeMail() {
    mailer.welcome("alice@example.test");

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("shop@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Welcome")
        .bodyContains("thanks for signing up");
    assertThat(smtp).hasNoViolations();
  }
}
// end::welcome-test[]
