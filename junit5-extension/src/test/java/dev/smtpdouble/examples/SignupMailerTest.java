package dev.smtpdouble.examples;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 5, written exactly as the contract shows it: a class-level {@code @SmtpServer}, a
 * double per test as a parameter, a method annotation adding a script, and the assertion chain. (No
 * class-level {@code @Timeout} here, to keep the example as the contract has it; the build sets a
 * default timeout for every test through {@code junit.jupiter.execution.timeout.default}.)
 */
@SmtpServer // a fresh double for every test method
class SignupMailerTest {
  @Test
  void sendsWelcome(SmtpDouble smtp) {
    new SignupMailer(smtp.host(), smtp.port()).sendWelcome("alice@example.test", "Alice");

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("shop@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Welcome")
        .bodyContains("Hello Alice");
    assertThat(smtp).hasNoViolations();
  }

  @Test
  @SmtpServer(script = "reply 354 then 554 after DATA")
  void reportsRejectedMail(SmtpDouble smtp) {
    SignupMailer mailer = new SignupMailer(smtp.host(), smtp.port());

    assertThatThrownBy(() -> mailer.sendWelcome("alice@example.test", "Alice"))
        .isInstanceOf(SignupMailer.MailRejectedException.class)
        .hasMessageContaining("554");

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("shop@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Welcome")
        .bodyContains("Hello Alice")
        .isRejected()
        .hasReplyCode(554);
    assertThat(smtp.transcript()).containsExchange("DATA", 354).containsExchange("DATA", 554);
    assertThat(smtp).hasNoViolations();
  }
}
