package dev.smtpdouble.examples.springboot;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.examples.springboot.SignupApplication.SignupService;
import dev.smtpdouble.junit5.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.MailSendException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Boot with {@code spring-boot-starter-mail}: the application's {@code JavaMailSender} is
 * the one Boot builds from {@code spring.mail.*}, pointed at the double.
 *
 * <p>The double must exist before Spring starts the context, which happens once for the class
 * (before the first test runs, after the extension's {@code beforeAll}). A static
 * {@code @SmtpServer} field is set in {@code beforeAll} and shared by the class's tests; the
 * extension resets it before each test. {@code @DynamicPropertySource} registers suppliers that
 * Spring calls when it resolves the properties, so they read the field once it is set.
 */
@SpringBootTest(
    classes = SignupApplication.class,
    properties = {
      "spring.mail.properties[mail.smtp.connectiontimeout]=2000",
      "spring.mail.properties[mail.smtp.timeout]=2000"
    })
@Timeout(60)
class SpringBootMailExampleTest {

  @SmtpServer static SmtpDouble smtp;

  @DynamicPropertySource
  static void mailServer(DynamicPropertyRegistry registry) {
    // lambdas, not smtp::host: the field is read when Spring resolves the property
    registry.add("spring.mail.host", () -> smtp.host());
    registry.add("spring.mail.port", () -> smtp.port());
  }

  @Autowired SignupService signups;

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
