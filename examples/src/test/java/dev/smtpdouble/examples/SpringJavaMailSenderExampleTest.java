package dev.smtpdouble.examples;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/** Spring Framework's {@code JavaMailSenderImpl} pointed at the injected double. */
@SmtpServer
@Timeout(30)
class SpringJavaMailSenderExampleTest {

  /** The code under test: sends password resets through whatever {@link JavaMailSender} it gets. */
  static final class PasswordResets {
    private final JavaMailSender mailSender;

    PasswordResets(JavaMailSender mailSender) {
      this.mailSender = mailSender;
    }

    void send(String email, String token) {
      SimpleMailMessage message = new SimpleMailMessage();
      message.setFrom("accounts@example.test");
      message.setTo(email);
      message.setSubject("Reset your password");
      message.setText("Use this code within an hour: " + token + "\n");
      mailSender.send(message);
    }
  }

  /** What the application's configuration would build, aimed at the double. */
  static JavaMailSenderImpl mailSender(SmtpDouble smtp) {
    JavaMailSenderImpl sender = new JavaMailSenderImpl();
    sender.setHost(smtp.host());
    sender.setPort(smtp.port());
    Properties properties = new Properties();
    properties.put("mail.smtp.connectiontimeout", "2000");
    properties.put("mail.smtp.timeout", "2000");
    sender.setJavaMailProperties(properties);
    return sender;
  }

  @Test
  void sendsTheResetCode(SmtpDouble smtp) {
    new PasswordResets(mailSender(smtp)).send("alice@example.test", "742 913");

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("accounts@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Reset your password")
        .bodyContains("742 913");
    assertThat(smtp).hasNoViolations();
  }

  @Test
  void sendsAMimeMessageWithAnAttachment(SmtpDouble smtp) throws Exception {
    JavaMailSenderImpl sender = mailSender(smtp);
    MimeMessage message = sender.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
    helper.setFrom("billing@example.test");
    helper.setTo("alice@example.test");
    helper.setSubject("Your invoice");
    helper.setText("Your invoice is attached.");
    helper.addAttachment(
        "invoice.txt", new ByteArrayResource("total: 42.00\n".getBytes(StandardCharsets.UTF_8)), "text/plain");

    sender.send(message);

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasSubject("Your invoice")
        .hasAttachment("invoice.txt")
        .hasPartContaining("Your invoice is attached.");
  }

  @Test
  @SmtpServer(script = "reply 451 \"4.7.1 Greylisted, try again later\" to RCPT once")
  void surfacesGreylistingAsAMailSendException(SmtpDouble smtp) {
    PasswordResets resets = new PasswordResets(mailSender(smtp));

    // JavaMailSenderImpl does not retry: the caller sees the 451 ...
    assertThatThrownBy(() -> resets.send("alice@example.test", "742 913"))
        .isInstanceOf(MailSendException.class)
        .hasMessageContaining("451 4.7.1 Greylisted");
    assertThat(smtp).hasNoMessages();

    // ... and a second attempt goes through, since the rule acted once.
    resets.send("alice@example.test", "742 913");
    assertThat(smtp).hasReceived(1).first().hasRecipients("alice@example.test");
    assertThat(smtp.transcript()).containsExchange("RCPT", 451).containsExchange("RCPT", 250).hasSessions(2);
  }
}
