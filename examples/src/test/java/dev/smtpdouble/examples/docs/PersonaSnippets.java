package dev.smtpdouble.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.Persona;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java examples of docs/personas.md: each region is copied into the page. */
@Timeout(30)
class PersonaSnippets {

  /** Jakarta Mail over STARTTLS with AUTH, as an application talks to a provider. */
  static void send(SmtpDouble smtp, String user, String password, String to)
      throws MessagingException {
    Properties props = new Properties();
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", String.valueOf(smtp.port()));
    props.put("mail.smtp.auth", "true");
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
    props.put("mail.smtp.timeout", "5000");
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("shop@example.test"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject("Your order");
    message.setText("Thank you.\n");
    Transport.send(message, user, password);
  }

  @Test
  void sesThrottlesAtItsScaledRate() throws Exception {
    // tag::builder[]
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .persona(Persona.SES_SMTP.limit("sending-rate", 2, Duration.ofMinutes(1)))
            .user("AKIAEXAMPLE", "smtp-secret")
            .start()) {
      send(smtp, "AKIAEXAMPLE", "smtp-secret", "a@example.test");
      send(smtp, "AKIAEXAMPLE", "smtp-secret", "b@example.test");

      assertThatThrownBy(() -> send(smtp, "AKIAEXAMPLE", "smtp-secret", "c@example.test"))
          .isInstanceOf(SMTPSendFailedException.class)
          .hasMessageContaining("454 Throttling failure: Maximum sending rate exceeded");
      ReceivedMessage refused = smtp.messages().get(2);
      assertThat(refused.accepted()).isFalse();
    }
    // end::builder[]
  }

  // tag::annotation[]
  @Test
  void m365RefusesAuthWhenTheTenantDisabledIt(
      @SmtpServer(persona = "m365-submission with auth-disabled", users = "app@contoso.test:pw")
          SmtpDouble smtp) {
    assertThatThrownBy(() -> send(smtp, "app@contoso.test", "pw", "a@example.test"))
        .hasMessageContaining("535 5.7.139 Authentication unsuccessful");
  }
  // end::annotation[]

  @Test
  void theScriptLanguageChoosesAPersonaAndLaterRulesWin() throws Exception {
    // tag::script[]
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .script(
                "persona gmail-submission limits x0.001", // 2,000 messages a day become 2
                "reply 421 \"4.3.0 Temporary System Problem. Try again later\" to MAIL on 3rd")
            .user("me@gmail.test", "app-password")
            .start()) {
      send(smtp, "me@gmail.test", "app-password", "a@example.test");
      send(smtp, "me@gmail.test", "app-password", "b@example.test");
      assertThatThrownBy(() -> send(smtp, "me@gmail.test", "app-password", "c@example.test"))
          .hasMessageContaining("421 4.3.0 Temporary System Problem"); // the rule wins
      assertThatThrownBy(() -> send(smtp, "me@gmail.test", "app-password", "d@example.test"))
          .hasMessageContaining("550 5.4.5 Daily sending quota exceeded"); // the persona's limit
    }
    // end::script[]
  }
}
