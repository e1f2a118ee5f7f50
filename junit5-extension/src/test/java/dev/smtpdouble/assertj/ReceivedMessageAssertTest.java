package dev.smtpdouble.assertj;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.EnhancedStatusCode;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.ReplyCode;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.testing.RawClient;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Assertions on one message, passing and failing with their exact messages. */
@Timeout(60)
@SmtpServer
class ReceivedMessageAssertTest {

  /** A message with two recipients, parameters, a folded header and a two-line body. */
  private static ReceivedMessage newsletter(SmtpDouble smtp) {
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("EHLO client.test");
      wire.command("MAIL FROM:<shop@example.test> BODY=8BITMIME SIZE=500");
      wire.command("RCPT TO:<alice@example.test>");
      wire.command("RCPT TO:<bob@example.test>");
      wire.command("DATA");
      wire.data(
          "From: Shop <shop@example.test>",
          "To: alice@example.test, bob@example.test",
          "Subject: Spring sale",
          "X-Campaign: spring",
          "X-Long: first part",
          " second part",
          "",
          "Hello friends,",
          "everything must go. Bye");
      wire.command("QUIT");
    }
    return smtp.takeMessage(java.time.Duration.ofSeconds(5));
  }

  private static String summary(String reply) {
    return "from <shop@example.test> to [alice@example.test, bob@example.test], subject \"Spring"
        + " sale\", answered "
        + reply;
  }

  private static final String ACCEPTED = summary(QUEUED);

  @Test
  void envelopeHeadersBodyAndParametersPass(SmtpDouble smtp) {
    ReceivedMessage message = newsletter(smtp);

    assertThat(message)
        .hasFrom("shop@example.test")
        .hasRecipients("bob@example.test", "alice@example.test")
        .hasRecipient("alice@example.test")
        .hasSubject("Spring sale")
        .hasHeader("x-campaign")
        .hasHeader("X-Campaign", "spring")
        .hasHeader("X-Long", "first part second part")
        .bodyContains("Hello friends", "must go")
        .bodyMatches("Hello friends,\r\n.*Bye\r\n")
        .bodyContainsPattern("every\\w+")
        .hasMailParameter("size")
        .hasMailParameter("BODY", "8BITMIME")
        .hasBodyType("8bitmime")
        .isAccepted()
        .hasReplyCode(250);
  }

  @Test
  void envelopeFailuresShowExpectedAndActual(SmtpDouble smtp) {
    ReceivedMessage message = newsletter(smtp);

    assertThatThrownBy(() -> assertThat(message).hasFrom("noreply@example.test"))
        .hasMessage(
            "Expecting message\n  %s\nto have envelope sender (MAIL FROM):\n"
                + "  <noreply@example.test>\nbut it was:\n  <shop@example.test>",
            ACCEPTED);
    assertThatThrownBy(
            () -> assertThat(message).hasRecipients("alice@example.test", "carol@example.test"))
        .hasMessage(
            "Expecting message\n  %s\n"
                + "to have exactly these envelope recipients (RCPT TO), in any order:\n"
                + "  [alice@example.test, carol@example.test]\n"
                + "but it had:\n"
                + "  [alice@example.test, bob@example.test]\n"
                + "missing:\n"
                + "  [carol@example.test]\n"
                + "unexpected:\n"
                + "  [bob@example.test]",
            ACCEPTED);
    assertThatThrownBy(() -> assertThat(message).hasRecipient("carol@example.test"))
        .hasMessage(
            "Expecting message\n  %s\nto have among its envelope recipients (RCPT TO):\n"
                + "  <carol@example.test>\nbut it had:\n  [alice@example.test, bob@example.test]",
            ACCEPTED);
  }

  @Test
  void headerAndBodyFailuresShowWhatIsThere(SmtpDouble smtp) {
    ReceivedMessage message = newsletter(smtp);

    assertThatThrownBy(() -> assertThat(message).hasSubject("Winter sale"))
        .hasMessage(
            "Expecting message\n  %s\nto have subject:\n  \"Winter sale\"\n"
                + "but it was:\n  \"Spring sale\"",
            ACCEPTED);
    assertThatThrownBy(() -> assertThat(message).hasHeader("X-Mailer"))
        .hasMessage(
            "Expecting message\n  %s\nto have a header:\n  X-Mailer\nbut its headers were:\n"
                + "  [From, Subject, To, X-Campaign, X-Long]",
            ACCEPTED);
    assertThatThrownBy(() -> assertThat(message).hasHeader("X-Campaign", "winter"))
        .hasMessage(
            "Expecting message\n  %s\nto have header X-Campaign with value:\n  \"winter\"\n"
                + "but its values were:\n  [\"spring\"]",
            ACCEPTED);
    assertThatThrownBy(() -> assertThat(message).hasHeader("X-Mailer", "x"))
        .hasMessageContaining("\nbut it had no X-Mailer header; its headers were:\n  [From, ");
    assertThatThrownBy(() -> assertThat(message).bodyContains("Hello", "winter", "snow"))
        .hasMessage(
            "Expecting message\n  %s\nto have a body containing:\n  [\"winter\", \"snow\"]\n"
                + "but the body was:\n  \"Hello friends,\n  everything must go. Bye\n  \"",
            ACCEPTED);
    assertThatThrownBy(() -> assertThat(message).bodyMatches("Hello"))
        .hasMessageContaining("\nto have a body matching:\n  Hello\nbut the body was:\n");
    assertThatThrownBy(() -> assertThat(message).bodyContainsPattern("snow\\w+"))
        .hasMessageContaining("\nto have a body containing the pattern:\n  snow\\w+\n");
  }

  @Test
  void parameterFailuresListTheParameters(SmtpDouble smtp) {
    ReceivedMessage message = newsletter(smtp);

    assertThatThrownBy(() -> assertThat(message).hasMailParameter("SMTPUTF8"))
        .hasMessage(
            "Expecting message\n  %s\nto have MAIL FROM parameter:\n  SMTPUTF8\n"
                + "but its parameters were:\n  {BODY=8BITMIME, SIZE=500}",
            ACCEPTED);
    assertThatThrownBy(() -> assertThat(message).hasMailParameter("BODY", "BINARYMIME"))
        .hasMessageContaining("\nto have MAIL FROM parameter:\n  BODY=BINARYMIME\n");
    assertThatThrownBy(() -> assertThat(message).hasBodyType("7BIT"))
        .hasMessageContaining("\nto have BODY=:\n  7BIT\nbut it declared:\n  8BITMIME");
    assertThatThrownBy(() -> assertThat(message).isSmtpUtf8())
        .hasMessageContaining("\nto have MAIL FROM parameter:\n  SMTPUTF8\n");
    assertThatThrownBy(() -> assertThat(message).isChunked())
        .hasMessage(
            "Expecting message\n  %s\nto have been sent in BDAT chunks, but it was sent after DATA",
            ACCEPTED);
  }

  @Test
  void aRejectedMessageIsExplainedFromTheCatalogue(SmtpDouble smtp) {
    smtp.script("reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA");
    ReceivedMessage message = newsletter(smtp);
    String rejected = summary("554 5.7.1 Message rejected as spam");

    assertThat(message).isRejected().hasReplyCode(554);
    assertThatThrownBy(() -> assertThat(message).isAccepted())
        .hasMessage(
            "Expecting message\n  %s\n"
                + "to have been accepted (a 2xx reply to the end of its data), but the double"
                + " answered:\n"
                + "  554 5.7.1 Message rejected as spam\n"
                + "%s\n"
                + "%s",
            rejected, ReplyCode.of(554).summary(), EnhancedStatusCode.of("5.7.1").summary());
    assertThatThrownBy(() -> assertThat(message).hasReplyCode(451))
        .hasMessage(
            "Expecting message\n  %s\n"
                + "to have been answered at the end of its data with:\n"
                + "  %s, but the double answered:\n"
                + "  554 5.7.1 Message rejected as spam\n"
                + "%s\n"
                + "%s",
            rejected,
            ReplyCode.of(451).summary(),
            ReplyCode.of(554).summary(),
            EnhancedStatusCode.of("5.7.1").summary());
  }

  @Test
  void anAcceptedMessageIsNotRejected(SmtpDouble smtp) {
    ReceivedMessage message = newsletter(smtp);

    assertThatThrownBy(() -> assertThat(message).isRejected())
        .hasMessage(
            "Expecting message\n  %s\n"
                + "to have been rejected (a 4xx or 5xx reply to the end of its data), but the"
                + " double answered:\n"
                + "  250 2.0.0 Ok: queued\n"
                + "%s\n"
                + "%s",
            ACCEPTED, ReplyCode.of(250).summary(), EnhancedStatusCode.of("2.0.0").summary());
  }

  @Test
  void aMessageNeverAnsweredSaysSo(SmtpDouble smtp) {
    smtp.script("disconnect after DATA");
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("EHLO client.test");
      wire.command("MAIL FROM:<a@example.test>");
      wire.command("RCPT TO:<b@example.test>");
      wire.command("DATA");
      wire.sendRaw("Subject: lost\r\n\r\nbody\r\n.\r\n");
    }

    assertThatThrownBy(() -> assertThat(smtp).first().isAccepted())
        .hasMessage(
            "[message #1] Expecting message\n"
                + "  from <a@example.test> to [b@example.test], subject \"lost\", never answered"
                + " (a rule disconnected, reset or stalled the session)\n"
                + "to have been accepted (a 2xx reply to the end of its data), but the double"
                + " never answered the end of its data (a rule disconnected, reset or stalled the"
                + " session)");
  }

  @Test
  void chunkedMessages(SmtpDouble smtp) {
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("EHLO client.test");
      wire.command("MAIL FROM:<a@example.test> SMTPUTF8");
      wire.command("RCPT TO:<b@example.test>");
      String chunk = "Subject: chunked\r\n\r\nin one chunk\r\n";
      wire.sendRaw("BDAT " + chunk.length() + " LAST\r\n" + chunk);
      wire.replyText();
      wire.command("QUIT");
    }

    assertThat(smtp).hasReceived(1).first().isChunked().isSmtpUtf8().bodyContains("in one chunk");
  }

  // ---- Jakarta Mail ----

  private static void sendInvoice(SmtpDouble smtp) throws Exception {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", smtp.host());
    properties.put("mail.smtp.port", String.valueOf(smtp.port()));
    Session session = Session.getInstance(properties);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("billing@example.test"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.test"));
    message.setSubject("Your invoice");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Hello Alice, your invoice is attached.", "UTF-8");
    MimeBodyPart pdf = new MimeBodyPart();
    pdf.setDataHandler(
        new DataHandler(
            new ByteArrayDataSource(new byte[] {'%', 'P', 'D', 'F'}, "application/pdf")));
    pdf.setFileName("invoice.pdf");
    message.setContent(new MimeMultipart(text, pdf));
    Transport.send(message);
  }

  @Test
  void attachmentsAndPartsThroughJakartaMail(SmtpDouble smtp) throws Exception {
    sendInvoice(smtp);

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasAttachment("invoice.pdf")
        .hasPartContaining("your invoice is attached");
    assertThatThrownBy(() -> assertThat(smtp).first().hasAttachment("receipt.pdf"))
        .hasMessageEndingWith(
            "\nto have an attachment named:\n  \"receipt.pdf\"\nbut its parts were:\n"
                + "  text/plain (38 characters)\n"
                + "  application/pdf \"invoice.pdf\" (attachment)");
    assertThatThrownBy(() -> assertThat(smtp).first().hasPartContaining("overdue"))
        .hasMessageContaining("\nto have a part containing:\n  \"overdue\"\nbut its parts were:\n");
  }

  /**
   * Jakarta Mail is an optional dependency: without it the other assertions work and the MIME ones
   * say what to add. Checked in a class loader that hides Jakarta Mail and Angus Mail.
   */
  @Test
  void withoutJakartaMailTheMimeAssertionsSayWhatToAdd(SmtpDouble smtp) throws Exception {
    sendInvoice(smtp);
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("jakarta.mail") && !entry.contains("angus")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader isolated =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> doubleClass = isolated.loadClass(SmtpDouble.class.getName());
      Object isolatedDouble = doubleClass.getMethod("start").invoke(null);
      try {
        String host = (String) doubleClass.getMethod("host").invoke(isolatedDouble);
        int port = (Integer) doubleClass.getMethod("port").invoke(isolatedDouble);
        try (RawClient wire = RawClient.greeted(host, port)) {
          wire.command("EHLO client.test");
          wire.command("MAIL FROM:<a@example.test>");
          wire.command("RCPT TO:<b@example.test>");
          wire.command("DATA");
          wire.data(new String(smtp.messages().get(0).data(), "UTF-8").split("\r\n"));
        }
        Object message =
            doubleClass
                .getMethod("takeMessage", java.time.Duration.class)
                .invoke(isolatedDouble, java.time.Duration.ofSeconds(5));
        Class<?> messageClass = isolated.loadClass(ReceivedMessage.class.getName());
        Object messageAssert =
            isolated
                .loadClass(SmtpAssertions.class.getName())
                .getMethod("assertThat", messageClass)
                .invoke(null, message);
        Method hasSubject = messageAssert.getClass().getMethod("hasSubject", String.class);
        hasSubject.invoke(messageAssert, "Your invoice"); // works without Jakarta Mail
        Method hasAttachment = messageAssert.getClass().getMethod("hasAttachment", String.class);

        assertThatThrownBy(() -> hasAttachment.invoke(messageAssert, "invoice.pdf"))
            .isInstanceOf(InvocationTargetException.class)
            .cause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessage(
                "hasAttachment and hasPartContaining read MIME parts with Jakarta Mail, which is"
                    + " not on the class path: add org.eclipse.angus:angus-mail (test scope)");
      } finally {
        doubleClass.getMethod("close").invoke(isolatedDouble);
      }
    }
  }
}
