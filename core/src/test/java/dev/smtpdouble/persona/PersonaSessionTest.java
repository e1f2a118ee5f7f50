package dev.smtpdouble.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.Persona;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Personas over real sockets: Jakarta Mail and a raw client meet the providers' replies and limits. */
@Timeout(60)
class PersonaSessionTest {

  private static Properties starttls(SmtpDouble smtp) {
    Properties props = new Properties();
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", String.valueOf(smtp.port()));
    props.put("mail.smtp.localhost", "client.test");
    props.put("mail.smtp.connectiontimeout", "5000");
    props.put("mail.smtp.timeout", "5000");
    props.put("mail.smtp.auth", "true");
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
    return props;
  }

  private static void send(Properties props, String user, String password, String... to)
      throws MessagingException {
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("app@example.test"));
    for (String recipient : to) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
    }
    message.setSubject("Hello");
    message.setText("Hello\r\n");
    Transport.send(message, user, password);
  }

  private static String plain(String user, String password) {
    return Base64.getEncoder()
        .encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void gmailGreetsAndListsItsCapabilitiesAndRefusesMailBeforeStartTls() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().persona(Persona.GMAIL_SUBMISSION).user("me@gmail.test", "app-password").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 smtp.gmail.com ESMTP t66sm6271302pjb.45 - gsmtp");
      assertThat(client.ehlo("client.test"))
          .containsExactly(
              "250-smtp.gmail.com at your service",
              "250-SIZE 35882577",
              "250-8BITMIME",
              "250-STARTTLS",
              "250-ENHANCEDSTATUSCODES",
              "250-PIPELINING",
              "250-CHUNKING",
              "250 SMTPUTF8");
      client
          .send("MAIL FROM:<me@gmail.test>")
          .expect("530 5.7.0 Must issue a STARTTLS command first. y129sm721561qka.33 - gsmtp");
      client.send("QUIT").expect("221 2.0.0 closing connection t66sm6271302pjb.45 - gsmtp");
    }
  }

  @Test
  void jakartaMailSendsThroughGmailAndSeesItsBadCredentialsReply() throws Exception {
    try (SmtpDouble smtp =
        SmtpDouble.builder().persona(Persona.GMAIL_SUBMISSION).user("me@gmail.test", "app-password").start()) {
      Properties props = starttls(smtp);
      send(props, "me@gmail.test", "app-password", "alice@example.test");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).encrypted()).isTrue();
      assertThat(smtp.transcript().toString())
          .contains("S: 250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH");

      assertThatThrownBy(() -> send(props, "me@gmail.test", "account-password", "alice@example.test"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("5.7.8 Username and Password not accepted. Learn more at")
          .hasMessageContaining("https://support.google.com/mail/?p=BadCredentials");
    }
  }

  @Test
  void gmailRefusesTheRecipientBeyondItsLimitWithItsOwnText() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().persona(Persona.GMAIL_SUBMISSION).tls(null).maxRecipients(1).start();
        RawClient client = RawClient.connect(smtp)) {
      client.readReply();
      client.ehlo("client.test");
      client.send("MAIL FROM:<me@gmail.test>").expectStart("250 ");
      client.send("RCPT TO:<a@example.test>").expectStart("250 ");
      client
          .send("RCPT TO:<b@example.test>")
          .expect(
              "452 4.5.3 Your message has too many recipients. For more information regarding"
                  + " Google's sending limits, review this article.");
    }
  }

  @Test
  void sesThrottlesTheThirdMessageInAWindowAndJakartaMailSeesThe454() throws Exception {
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .script("persona ses-smtp limit sending-rate 2 per 1h")
            .user("AKIAEXAMPLE", "smtp-secret")
            .start()) {
      Properties props = starttls(smtp);
      send(props, "AKIAEXAMPLE", "smtp-secret", "a@example.test");
      send(props, "AKIAEXAMPLE", "smtp-secret", "b@example.test");
      assertThatThrownBy(() -> send(props, "AKIAEXAMPLE", "smtp-secret", "c@example.test"))
          .isInstanceOf(SMTPSendFailedException.class)
          .satisfies(e -> assertThat(((SMTPSendFailedException) e).getReturnCode()).isEqualTo(454))
          .hasMessageContaining("Throttling failure: Maximum sending rate exceeded");
      List<ReceivedMessage> messages = smtp.messages();
      assertThat(messages).hasSize(3);
      assertThat(messages.get(2).accepted()).isFalse();
      assertThat(messages.get(2).reply().orElseThrow().toString())
          .isEqualTo("454 Throttling failure: Maximum sending rate exceeded");

      assertThat(smtp.transcript().explained())
          .contains(
              "S: 454 Throttling failure: Maximum sending rate exceeded\n"
                  + "   # 454 Temporary TLS or authentication failure")
          .contains(
              "   # ses-smtp says: More recipients per second than the account's maximum sending"
                  + " rate");

      smtp.reset(); // forgets the counts as it forgets the messages
      send(props, "AKIAEXAMPLE", "smtp-secret", "d@example.test");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).accepted()).isTrue();
    }
  }

  @Test
  void sesAcceptsAgainOnceASmallWindowHasPassed() throws Exception {
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .persona(Persona.SES_SMTP.limit("sending-rate", 1, Duration.ofMillis(300)))
            .tls(null)
            .start()) {
      Properties props = new Properties();
      props.put("mail.smtp.host", smtp.host());
      props.put("mail.smtp.port", String.valueOf(smtp.port()));
      props.put("mail.smtp.localhost", "client.test");
      send(props, null, null, "a@example.test");
      assertThatThrownBy(() -> send(props, null, null, "b@example.test"))
          .isInstanceOf(SMTPSendFailedException.class)
          .hasMessageContaining("454 Throttling failure");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      boolean sent = false;
      while (!sent && System.nanoTime() < deadline) {
        Thread.sleep(100);
        try {
          send(props, null, null, "b@example.test");
          sent = true;
        } catch (SMTPSendFailedException e) {
          assertThat(e.getReturnCode()).isEqualTo(454);
        }
      }
      assertThat(sent).as("accepted again once the 300 ms window passed").isTrue();
    }
  }

  @Test
  void theLastBdatChunkIsRefusedAsTheEndOfTheDataIs() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .persona(Persona.SES_SMTP.limit("sending-rate", 1, Duration.ofHours(1)))
                .tls(null)
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.readReply();
      client.ehlo("client.test");
      for (String expected : List.of("250 ", "454 Throttling failure: Maximum sending rate exceeded")) {
        client.send("MAIL FROM:<app@example.test>").expectStart("250 ");
        client.send("RCPT TO:<a@example.test>").expectStart("250 ");
        client.sendRaw("BDAT 7 LAST\r\nHello\r\n").expectStart(expected);
      }
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).accepted()).isTrue();
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).accepted()).isFalse();
    }
  }

  @Test
  void sesNamesTheUnverifiedSenderAtTheEndOfTheData() throws Exception {
    try (SmtpDouble smtp =
        SmtpDouble.builder().persona(Persona.SES_SMTP.with("unverified-sender")).user("AKIA", "s").start()) {
      assertThatThrownBy(() -> send(starttls(smtp), "AKIA", "s", "a@example.test"))
          .isInstanceOf(SMTPSendFailedException.class)
          .hasMessageContaining(
              "554 Message rejected: Email address is not verified. The following identities failed"
                  + " the check in region US-EAST-1: app@example.test");
    }
  }

  @Test
  void microsoft365RefusesMailOnTheFourthConnectionOfOneMailbox() {
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .persona(Persona.M365_SUBMISSION)
            .tls(Tls.starttls()) // plaintext AUTH keeps this raw test short
            .user("printer@contoso.test", "secret")
            .start()) {
      List<RawClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          RawClient client = RawClient.connect(smtp);
          clients.add(client);
          client.readReply();
          client.ehlo("printer" + i + ".test");
          client.send("AUTH PLAIN " + plain("printer@contoso.test", "secret")).expectStart("235 ");
        }
        for (int i = 0; i < 3; i++) {
          clients.get(i).send("MAIL FROM:<printer@contoso.test>").expectStart("250 ");
        }
        clients.get(3)
            .send("MAIL FROM:<printer@contoso.test>")
            .expect("432 4.3.2 Concurrent connections limit exceeded.");
        clients.get(0).send("QUIT").expectStart("221 ");
        clients.get(0).awaitEnd(5000);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int code = 0;
        while (code != 250 && System.nanoTime() < deadline) {
          code = clients.get(3).send("MAIL FROM:<printer@contoso.test>").readCode();
        }
        assertThat(code).as("accepted once one of the first three connections ended").isEqualTo(250);
      } finally {
        clients.forEach(RawClient::close);
      }
    }
  }

  @Test
  void microsoft365RefusesAWrongPasswordWithItsOwnText() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .persona(Persona.M365_SUBMISSION)
                .tls(null)
                .user("printer@contoso.test", "secret")
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.readReply();
      client.ehlo("printer.test");
      client
          .send("AUTH PLAIN " + plain("printer@contoso.test", "wrong"))
          .expect("535 5.7.3 Authentication unsuccessful");
      client.send("MAIL FROM:<printer@contoso.test>").expectStart("530 ");
    }
  }

  @Test
  void aSituationIsARuleAndRulesAddedAfterThePersonaWin() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .tls(null)
                .script(
                    "persona m365-submission with auth-disabled",
                    "reply 235 \"2.7.0 Authentication successful\" to AUTH once")
                .tls(null)
                .user("u@contoso.test", "p")
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.readReply();
      client.ehlo("client.test");
      client.send("AUTH PLAIN " + plain("u@contoso.test", "p")).expect("235 2.7.0 Authentication successful");
      try (RawClient second = RawClient.connect(smtp)) {
        second.readReply();
        second.ehlo("client.test");
        second
            .send("AUTH PLAIN " + plain("u@contoso.test", "p"))
            .expect(
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.");
      }
      assertThat(smtp.persona()).map(Persona::toString).contains("m365-submission with auth-disabled");
    }
  }

  @Test
  void gmailMxSituationsAnswerAsGmailDoes() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().persona(Persona.GMAIL_MX.with("receiving-too-quickly")).start();
        RawClient client = RawClient.connect(smtp)) {
      client.readReply();
      client.ehlo("mta.example.test");
      client.send("MAIL FROM:<bounce@example.test>").expectStart("250 ");
      client
          .send("RCPT TO:<alice@gmail.test>")
          .expect(
              "450 4.2.1 The user you are trying to contact is receiving mail too quickly. Please"
                  + " resend your message at a later time. If the user is able to receive mail at"
                  + " that time, your message will be delivered.");
    }
  }
}
