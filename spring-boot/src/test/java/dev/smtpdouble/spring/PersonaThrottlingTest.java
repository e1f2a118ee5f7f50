package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.MailSendException;

/**
 * A persona through the starter: the double answers as Amazon SES, over the STARTTLS and AUTH the
 * persona requires, and the application's JavaMailSender meets SES's own throttling refusal once
 * the sending rate (scaled down to one recipient an hour) is used up.
 */
@Timeout(60)
// tag::persona-test[]
@SpringBootTest(classes = MailApplication.class)
@EnableSmtpDouble(
    persona = "ses-smtp limit sending-rate 1 per 1h", // SES sandbox, one recipient an hour
    users = "AKIAEXAMPLE:smtp-secret")
class PersonaThrottlingTest {
  @Autowired WelcomeMailer mailer; // retries up to 3 times
  @Autowired SmtpDouble smtp;

  @Test
  void theSecondMailMeetsSesThrottling() {
    mailer.welcome("erin@example.test");

    assertThatThrownBy(() -> mailer.welcome("frank@example.test"))
        .isInstanceOf(MailSendException.class)
        .hasMessageContaining("454 Throttling failure: Maximum sending rate exceeded");
    assertThat(smtp.messages())
        .extracting(ReceivedMessage::accepted)
        .containsExactly(true, false, false, false); // the welcome, then 3 refused attempts
  }
}
// end::persona-test[]
