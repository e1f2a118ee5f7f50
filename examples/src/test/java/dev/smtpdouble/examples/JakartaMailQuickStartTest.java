package dev.smtpdouble.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's quick start, with Jakarta Mail (Angus Mail) as the code under test. */
@Timeout(30)
class JakartaMailQuickStartTest {

  /** The code under test: a mailer that sends one welcome message. */
  static void sendWelcome(String host, int port, String to) throws MessagingException {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", host);
    properties.put("mail.smtp.port", String.valueOf(port));
    properties.put("mail.smtp.localhost", "app.example.test");
    Session session = Session.getInstance(properties);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("shop@example.test"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject("Welcome");
    message.setText("Hello Alice,\r\nthanks for signing up.\r\n", "UTF-8");
    Transport.send(message);
  }

  @Test
  void capturesWhatTheMailerSent() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      sendWelcome(smtp.host(), smtp.port(), "alice@example.test");

      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.from()).isEqualTo("shop@example.test");
      assertThat(message.recipients()).containsExactly("alice@example.test");
      assertThat(message.subject()).isEqualTo("Welcome");
      assertThat(message.text()).contains("Hello Alice");
      assertThat(message.accepted()).isTrue();
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void seesTheMailerFailWhenTheServerRejectsTheMessage() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA");

      assertThatThrownBy(() -> sendWelcome(smtp.host(), smtp.port(), "alice@example.test"))
          .isInstanceOf(SendFailedException.class)
          .hasMessageContaining("554 5.7.1 Message rejected as spam");

      ReceivedMessage rejected = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(rejected.accepted()).isFalse();
      assertThat(rejected.reply()).hasValueSatisfying(reply -> assertThat(reply.code()).isEqualTo(554));
      assertThat(rejected.text()).contains("Hello Alice");
    }
  }
}
