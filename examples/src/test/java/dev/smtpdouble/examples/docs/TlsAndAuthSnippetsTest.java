package dev.smtpdouble.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java example of docs/tls-and-auth.md: STARTTLS and AUTH with Jakarta Mail. */
@Timeout(30)
class TlsAndAuthSnippetsTest {

  @Test
  void jakartaMailLogsInOverStartTls() throws Exception {
    // tag::starttls-and-auth[]
    try (SmtpDouble smtp = SmtpDouble.builder()
        .tls(Tls.starttls().required())  // or Tls.implicit(); .hidden() accepts STARTTLS unadvertised
        .user("alice", "s3cret")         // AUTH offered; XOAUTH2 takes the secret as the bearer token
        .requireAuth()                   // MAIL before AUTH: 530 5.7.0 Authentication required
        .plaintextAuthNeedsTls()         // PLAIN/LOGIN/XOAUTH2 before TLS: 538 5.7.11
        .start()) {
      Properties props = new Properties();
      props.put("mail.smtp.host", smtp.host());
      props.put("mail.smtp.port", String.valueOf(smtp.port()));
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory()); // the double's CA only
      props.put("mail.smtp.ssl.checkserveridentity", "true");
      props.put("mail.smtp.auth", "true");
      MimeMessage message = new MimeMessage(Session.getInstance(props));
      message.setFrom("app@example.test");
      message.setRecipients(Message.RecipientType.TO, "bob@example.test");
      message.setText("Your password reset link");
      Transport.send(message, "alice", "s3cret");

      ReceivedMessage m = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(m.encrypted()).isTrue();
      assertThat(m.tlsProtocol()).contains("TLSv1.3");
      assertThat(m.authenticatedUser()).contains("alice");
      assertThat(m.authMechanism()).contains(AuthMechanism.LOGIN); // Angus Mail's first choice
    }
    // end::starttls-and-auth[]
  }
}
