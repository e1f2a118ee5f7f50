package dev.smtpdouble.examples;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.junit5.SmtpServer;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jakarta Mail (Angus Mail) against the double: the session properties point at the injected
 * double, the script makes it misbehave, the assertions check what arrived.
 */
@SmtpServer
@Timeout(30)
class JakartaMailExampleTest {

  /** The code under test: mails an order confirmation through a Jakarta Mail session. */
  static final class OrderMailer {
    private final Session session;

    OrderMailer(Session session) {
      this.session = session;
    }

    void confirm(String order, String... to) throws MessagingException {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("shop@example.test"));
      for (String recipient : to) {
        message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
      }
      message.setSubject("Order " + order + " confirmed");
      message.setText("Hello,\nyour order " + order + " is on its way.\n", "UTF-8");
      Transport.send(message);
    }
  }

  /** The settings a test gives the mailer: the double's host and port, short timeouts. */
  static Properties properties(SmtpDouble smtp) {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", smtp.host());
    properties.put("mail.smtp.port", String.valueOf(smtp.port()));
    properties.put("mail.smtp.connectiontimeout", "2000");
    properties.put("mail.smtp.timeout", "2000");
    return properties;
  }

  @Test
  void sendsTheConfirmation(SmtpDouble smtp) throws Exception {
    new OrderMailer(Session.getInstance(properties(smtp))).confirm("1001", "alice@example.test");

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("shop@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Order 1001 confirmed")
        .bodyContains("your order 1001 is on its way")
        .isAccepted();
    assertThat(smtp).hasNoViolations();
  }

  @Test
  @SmtpServer(script = "reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA")
  void reportsARejectionAfterTheData(SmtpDouble smtp) {
    OrderMailer mailer = new OrderMailer(Session.getInstance(properties(smtp)));

    assertThatThrownBy(() -> mailer.confirm("1001", "alice@example.test"))
        .isInstanceOf(SMTPSendFailedException.class)
        .hasMessageContaining("554 5.7.1 Message rejected as spam");
    // The double kept the body it rejected.
    assertThat(smtp).hasReceived(1).first().isRejected().hasReplyCode(554);
  }

  @Test
  @SmtpServer(script = "reply 550 \"5.1.1 No such user\" to RCPT <bob@example.test>")
  void sendsToTheValidRecipientsWithSendPartial(SmtpDouble smtp) {
    Properties properties = properties(smtp);
    properties.put("mail.smtp.sendpartial", "true"); // without it, one bad address sends nothing
    OrderMailer mailer = new OrderMailer(Session.getInstance(properties));

    assertThatThrownBy(
            () -> mailer.confirm("1001", "alice@example.test", "bob@example.test", "carol@example.test"))
        .isInstanceOfSatisfying(
            SendFailedException.class,
            e ->
                assertThat(Arrays.stream(e.getInvalidAddresses()).map(Address::toString))
                    .containsExactly("bob@example.test"));
    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasRecipients("alice@example.test", "carol@example.test")
        .isAccepted();
  }

  @Test
  void logsInOverStartTls() throws Exception {
    // TLS and AUTH from the builder; the client trusts the double's own CA, host names checked.
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .tls(Tls.starttls().required())
            .user("alice", "s3cret")
            .requireAuth()
            .start()) {
      Properties properties = properties(smtp);
      properties.put("mail.smtp.starttls.enable", "true");
      properties.put("mail.smtp.starttls.required", "true");
      properties.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
      properties.put("mail.smtp.ssl.checkserveridentity", "true");
      properties.put("mail.smtp.auth", "true");
      Session session = Session.getInstance(properties);
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("alice@example.test"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@example.test"));
      message.setSubject("Over TLS");
      message.setText("Hello Bob\n");

      Transport.send(message, "alice", "s3cret");

      assertThat(smtp).hasReceived(1).first().hasSubject("Over TLS").isAccepted();
      assertThat(smtp.messages().get(0).encrypted()).isTrue();
      assertThat(smtp.messages().get(0).authenticatedUser()).hasValue("alice");
    }
  }
}
