package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import jakarta.activation.DataHandler;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Jakarta Mail (Angus) as a real client, end to end, committing no violation. */
@Timeout(30)
class JakartaMailTest {

  private static Session session(SmtpDouble smtp, String... extra) {
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.host", smtp.host());
    properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
    properties.setProperty("mail.smtp.localhost", "client.test");
    properties.setProperty("mail.smtp.connectiontimeout", "5000");
    properties.setProperty("mail.smtp.timeout", "5000");
    for (int i = 0; i < extra.length; i += 2) {
      properties.setProperty(extra[i], extra[i + 1]);
    }
    return Session.getInstance(properties);
  }

  private static MimeMessage textMessage(Session session, String subject, String text)
      throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("shop@example.test"));
    message.setRecipients(RecipientType.TO, "alice@example.test, bob@example.test");
    message.setRecipients(RecipientType.CC, "carol@example.test");
    message.setRecipients(RecipientType.BCC, "dave@example.test");
    message.setSubject(subject, "UTF-8");
    message.setText(text, "UTF-8");
    message.saveChanges();
    return message;
  }

  /**
   * What Jakarta Mail puts on the wire for a message, as ISO-8859-1 text (one char per byte, so a
   * difference shows readably): its bytes without Bcc, every line end CRLF.
   */
  private static String wireBytes(MimeMessage message) throws MessagingException, IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    message.writeTo(raw, new String[] {"Bcc", "Content-Length"});
    ByteArrayOutputStream crlf = new ByteArrayOutputStream();
    byte previous = 0;
    for (byte b : raw.toByteArray()) {
      if (b == '\n' && previous != '\r') {
        crlf.write('\r');
      }
      crlf.write(b);
      previous = b;
    }
    String text = crlf.toString(ISO_8859_1);
    return text.endsWith("\r\n") ? text : text + "\r\n";
  }

  private static String bytesOf(ReceivedMessage message) {
    return new String(message.data(), ISO_8859_1);
  }

  private static void send(Session session, MimeMessage... messages) throws MessagingException {
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      for (MimeMessage message : messages) {
        transport.sendMessage(message, message.getAllRecipients());
      }
    }
  }

  @Test
  void aTextMailArrivesExactlyWithItsEnvelope() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp);
      MimeMessage message =
          textMessage(session, "Welcome", "Hello Alice,\n.this line starts with a dot\n..two\nBye");
      send(session, message);

      ReceivedMessage received = take(smtp);
      assertThat(received.from()).isEqualTo("shop@example.test");
      assertThat(received.recipients())
          .containsExactly(
              "alice@example.test", "bob@example.test", "carol@example.test", "dave@example.test");
      assertThat(bytesOf(received)).isEqualTo(wireBytes(message));
      assertThat(received.subject()).isEqualTo("Welcome");
      assertThat(received.text())
          .isEqualTo("Hello Alice,\r\n.this line starts with a dot\r\n..two\r\nBye\r\n");
      assertThat(received.heloName()).isEqualTo("client.test");
      assertThat(received.accepted()).isTrue();
      assertThat(awaitEnded(smtp, 1).ending()).isEqualTo(Transcript.Ending.QUIT);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void headersAreParsedAndEncodedWordsDecoded() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp);
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("juergen@example.test", "Jürgen Müller", "UTF-8"));
      message.setRecipients(RecipientType.TO, "alice@example.test");
      message.setSubject(
          "Grüße aus Köln ☃ — a subject long enough for Jakarta Mail to fold it over lines",
          "UTF-8");
      message.addHeader("X-Tag", "one");
      message.addHeader("X-Tag", "two");
      message.setText("hi", "UTF-8");
      message.saveChanges();
      send(session, message);

      ReceivedMessage received = take(smtp);
      assertThat(received.subject())
          .isEqualTo(
              "Grüße aus Köln ☃ — a subject long enough for Jakarta Mail to fold it over lines");
      assertThat(received.header("from"))
          .hasValueSatisfying(
              from ->
                  assertThat(from).contains("Jürgen Müller").contains("<juergen@example.test>"));
      assertThat(received.header("X-TAG")).contains("one");
      assertThat(received.headers("x-tag")).containsExactly("one", "two");
      assertThat(received.headers().get("x-tag")).containsExactly("one", "two");
      assertThat(received.headers()).containsKeys("Message-ID", "Date", "MIME-Version", "To");
      assertThat(received.header("Message-ID")).contains(message.getMessageID());
      assertThat(received.header("No-Such-Header")).isEmpty();
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void quotedPrintableAndBase64BodiesAreDecodedByText() throws Exception {
    String text = "Grüße, Zoë!\r\nÜber den Fluss ☃\r\n";
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp);
      MimeMessage qp = textMessage(session, "qp", text);
      qp.setHeader("Content-Transfer-Encoding", "quoted-printable");
      qp.saveChanges();
      MimeMessage b64 = textMessage(session, "b64", text);
      b64.setHeader("Content-Transfer-Encoding", "base64");
      b64.saveChanges();
      send(session, qp, b64);

      ReceivedMessage first = take(smtp);
      assertThat(first.header("Content-Transfer-Encoding")).contains("quoted-printable");
      assertThat(first.rawText()).contains("Gr=C3=BC=C3=9Fe");
      assertThat(first.text()).isEqualTo(text);
      ReceivedMessage second = take(smtp);
      assertThat(second.header("Content-Transfer-Encoding")).contains("base64");
      assertThat(second.rawText()).doesNotContain("Grüße");
      assertThat(second.text()).isEqualTo(text);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aMultipartMailWithAnAttachmentArrivesIntact() throws Exception {
    byte[] attachment = new byte[4096];
    for (int i = 0; i < attachment.length; i++) {
      attachment[i] = (byte) (i * 31);
    }
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp);
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("shop@example.test"));
      message.setRecipients(RecipientType.TO, "alice@example.test");
      message.setSubject("Your invoice");
      MimeBodyPart textPart = new MimeBodyPart();
      textPart.setText("See attached.", "UTF-8");
      MimeBodyPart filePart = new MimeBodyPart();
      filePart.setDataHandler(
          new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
      filePart.setFileName("invoice.bin");
      filePart.setDisposition(Part.ATTACHMENT);
      MimeMultipart multipart = new MimeMultipart(textPart, filePart);
      message.setContent(multipart);
      message.saveChanges();
      send(session, message);

      ReceivedMessage received = take(smtp);
      assertThat(bytesOf(received)).isEqualTo(wireBytes(message));
      assertThat(received.header("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("multipart/mixed"));
      assertThat(received.text()).contains("See attached.").contains("invoice.bin");

      MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(received.data()));
      Multipart parts = (Multipart) parsed.getContent();
      assertThat(parts.getCount()).isEqualTo(2);
      assertThat(parts.getBodyPart(0).getContent()).isEqualTo("See attached.");
      assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("invoice.bin");
      try (InputStream in = parts.getBodyPart(1).getInputStream()) {
        assertThat(in.readAllBytes()).isEqualTo(attachment);
      }
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aUtf8MailEncodedByDefaultCommitsNoViolation() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp);
      MimeMessage message = textMessage(session, "Grüße ☃", "Grüße aus Köln ☃\n");
      send(session, message);

      ReceivedMessage received = take(smtp);
      assertThat(bytesOf(received)).isEqualTo(wireBytes(message));
      assertThat(received.subject()).isEqualTo("Grüße ☃");
      assertThat(received.text()).isEqualTo("Grüße aus Köln ☃\r\n");
      assertThat(received.bodyType()).isEmpty();
      awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void allow8BitMimeMakesAngusSendUndeclared8BitDataWhichIsNoted() throws Exception {
    // Angus converts the text to 8bit when the server offers 8BITMIME, but never sends
    // BODY=8BITMIME (RFC 6152 §3): exactly the kind of client bug the double is there to show
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp, "mail.smtp.allow8bitmime", "true");
      MimeMessage message = textMessage(session, "Grüße ☃", "Grüße aus Köln ☃\n");
      send(session, message);

      ReceivedMessage received = take(smtp);
      assertThat(received.bodyType()).isEmpty();
      assertThat(received.header("Content-Transfer-Encoding")).contains("8bit");
      assertThat(new String(received.data(), UTF_8)).contains("\r\n\r\nGrüße aus Köln ☃\r\n");
      assertThat(bytesOf(received)).isEqualTo(wireBytes(message));
      assertThat(received.text()).isEqualTo("Grüße aus Köln ☃\r\n");
      assertThat(received.accepted()).isTrue();
      awaitEnded(smtp, 1);
      assertThat(smtp.violations())
          .singleElement()
          .satisfies(
              violation -> {
                assertThat(violation.kind()).isEqualTo(Violation.Kind.EIGHT_BIT_WITHOUT_8BITMIME);
                assertThat(violation.explanation()).endsWith("MAIL had no BODY parameter");
              });
    }
  }

  @Test
  void aUtf8MailWithAllowUtf8ArrivesExactlyWithSmtpUtf8() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session =
          session(smtp, "mail.mime.allowutf8", "true", "mail.smtp.allow8bitmime", "true");
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("jürgen@example.test"));
      message.setRecipients(RecipientType.TO, "zoë@example.test");
      message.setSubject("Grüße ☃", "UTF-8");
      message.setText("Grüße aus Köln ☃\n", "UTF-8");
      message.saveChanges();
      send(session, message);

      ReceivedMessage received = take(smtp);
      assertThat(received.from()).isEqualTo("jürgen@example.test");
      assertThat(received.recipients()).containsExactly("zoë@example.test");
      assertThat(bytesOf(received)).isEqualTo(wireBytes(message));
      assertThat(received.header("From")).contains("jürgen@example.test");
      assertThat(received.subject()).isEqualTo("Grüße ☃");
      assertThat(received.text()).isEqualTo("Grüße aus Köln ☃\r\n");
      assertThat(received.smtpUtf8()).isTrue();
      awaitEnded(smtp, 1);
      // SMTPUTF8 covers the UTF-8 addresses, and implies 8BITMIME (RFC 6531 §3.1) for the
      // 8bit body: a clean session
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void severalMessagesOverOneConnectionShareTheSession() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp);
      MimeMessage[] messages = new MimeMessage[3];
      for (int i = 0; i < messages.length; i++) {
        messages[i] = textMessage(session, "Message " + (i + 1), "Body " + (i + 1));
      }
      send(session, messages);
      for (int i = 0; i < messages.length; i++) {
        ReceivedMessage received = take(smtp);
        assertThat(received.subject()).isEqualTo("Message " + (i + 1));
        assertThat(bytesOf(received)).isEqualTo(wireBytes(messages[i]));
        assertThat(received.sessionNumber()).isEqualTo(1);
        assertThat(received.transactionNumber()).isEqualTo(i + 1);
      }
      assertThat(smtp.transcript().sessions()).hasSize(1);
      awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void theStaticSendWorksToo() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Session session = session(smtp);
      MimeMessage message = new MimeMessage(session);
      message.setFrom("shop@example.test");
      message.setRecipients(RecipientType.TO, "alice@example.test");
      message.setSubject("static");
      message.setText("sent with Transport.send");
      Transport.send(message);
      ReceivedMessage received = take(smtp);
      assertThat(received.subject()).isEqualTo("static");
      assertThat(received.text()).isEqualTo("sent with Transport.send\r\n");
      awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
    }
  }
}
