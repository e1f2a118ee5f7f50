package dev.smtpdouble.examples.springboot;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.examples.springboot.SignupApplication.SignupService;
import dev.smtpdouble.spring.EnableSmtpDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.MailSendException;

/**
 * Spring Boot with {@code spring-boot-starter-mail}: the application's {@code JavaMailSender} is
 * the one Boot builds from {@code spring.mail.*}, pointed at the double.
 *
 * <p>{@code @EnableSmtpDouble} starts the double before Spring starts the context, sets {@code
 * spring.mail.host} and {@code spring.mail.port} to its address and makes it a bean. The double
 * lives as long as the (cached) context and is reset before each test, so a rule one test adds is
 * gone in the next.
 */
@Timeout(60)
@SpringBootTest(
    classes = SignupApplication.class,
    properties = {
      "spring.mail.properties[mail.smtp.connectiontimeout]=2000",
      "spring.mail.properties[mail.smtp.timeout]=2000"
    })
@EnableSmtpDouble
class SpringBootMailExampleTest {
  @Autowired SignupService signups;
  @Autowired SmtpDouble smtp;

  @Test
  void sendsTheWelcomeMail() {
    signups.register("alice@example.test");

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("shop@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Welcome")
        .bodyContains("thanks for signing up");
    assertThat(smtp).hasNoViolations();
  }

  @Test
  void reportsARejectedWelcomeMail() {
    // A rule for this test only: the reset before the next test removes it.
    smtp.script("reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA");

    assertThatThrownBy(() -> signups.register("bob@example.test"))
        .isInstanceOf(MailSendException.class)
        .hasMessageContaining("554 5.7.1 Message rejected as spam");
    assertThat(smtp).hasReceived(1).first().hasRecipients("bob@example.test").isRejected();
  }
}
