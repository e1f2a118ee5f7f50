package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** A scripted 421: the application's retry sends the mail on a new connection. */
@Timeout(60)
// tag::retry-test[]
@SpringBootTest(classes = MailApplication.class)
@EnableSmtpDouble(script = "reply 421 \"4.3.2 Try again later\" to MAIL once")
class RetryTest {
  @Autowired WelcomeMailer mailer;
  @Autowired SmtpDouble smtp;

  @Test
  void triesAgainAfterA421() {
    int attempts = mailer.welcome("bob@example.test");

    assertThat(attempts).isEqualTo(2);
    assertThat(smtp).hasReceived(1).first().hasRecipients("bob@example.test").isAccepted();
    assertThat(smtp.transcript().sessions()).hasSize(2);
    assertThat(smtp.transcript().sessions().get(0).toString())
        .contains("421 4.3.2 Try again later");
  }
}
// end::retry-test[]
