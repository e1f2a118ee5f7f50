package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What real servers let pass but RFC 5321 forbids, noted by default and refused in strict mode:
 * ESMTP parameters and BDAT in a session that was not offered them (after HELO), a space around
 * the colon of {@code FROM:}/{@code TO:}, addresses without angle brackets; and a NUL byte in the
 * message data.
 */
@Timeout(30)
class EnvelopeViolationsTest {

  private static RawClient helo(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    client.send("HELO client.test").expect(HELO_OK);
    return client;
  }

  private static List<Violation.Kind> kinds(SmtpDouble smtp) {
    return smtp.violations().stream().map(Violation::kind).toList();
  }

  @Test
  void esmtpParametersInAHeloSessionAreAcceptedAndNoted() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test> SIZE=100 BODY=8BITMIME").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test> NOTIFY=SUCCESS").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      client.sendRaw("Subject: helo\r\n\r\nx\r\n.\r\n").expect(QUEUED);

      assertThat(kinds(smtp))
          .containsExactly(Violation.Kind.PARAMETER_NOT_OFFERED, Violation.Kind.PARAMETER_NOT_OFFERED);
      Violation mail = smtp.violations().get(0);
      assertThat(mail.rfc()).isEqualTo("RFC 5321 §4.1.1.11");
      assertThat(mail.line()).isEqualTo("MAIL FROM:<a@example.test> SIZE=100 BODY=8BITMIME");
      assertThat(mail.explanation()).endsWith("SIZE=100: the session was not offered SIZE");
      assertThat(smtp.violations().get(1).explanation())
          .endsWith("NOTIFY=SUCCESS: the session was not offered DSN");
      assertThat(smtp.transcript().toString())
          .contains("! ESMTP parameter not offered (RFC 5321 §4.1.1.11)");
    }
  }

  @Test
  void theSameParametersAfterEhloAreClean() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> SIZE=100 BODY=8BITMIME").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test> NOTIFY=SUCCESS").expect(RCPT_OK);
      client.sendRaw("BDAT 3 LAST\r\nx\r\n").expect(QUEUED);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aParameterMissingFromAScriptedEhloReplyIsNoted() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().script("reply 250 \"mx.test\" \"PIPELINING\" to EHLO").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("EHLO client.test").expect("250-mx.test").expect("250 PIPELINING");
      client.send("MAIL FROM:<a@example.test> SMTPUTF8").expect(MAIL_OK);
      assertThat(kinds(smtp)).containsExactly(Violation.Kind.PARAMETER_NOT_OFFERED);
      assertThat(smtp.violations().get(0).explanation())
          .endsWith("SMTPUTF8: the session was not offered SMTPUTF8");
    }
  }

  @Test
  void bdatInAHeloSessionIsAcceptedAndNotedOnce() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw("BDAT 3\r\nab\n").expect("250 2.0.0 3 octets received");
      client.sendRaw("BDAT 2 LAST\r\nc\n").expect(QUEUED);
      assertThat(new String(take(smtp).data(), US_ASCII)).isEqualTo("ab\nc\n");
      assertThat(kinds(smtp)).containsExactly(Violation.Kind.BDAT_NOT_OFFERED);
      assertThat(smtp.violations().get(0).rfc()).isEqualTo("RFC 3030 §2");
      assertThat(smtp.violations().get(0).line()).isEqualTo("BDAT 3");
    }
  }

  @Test
  void strictModeRefusesParametersAndBdatInAHeloSession() {
    try (SmtpDouble smtp = SmtpDouble.builder().strict().start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test> SIZE=100").expect("555 5.5.4 Unsupported option: SIZE");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test> NOTIFY=NEVER").expect("555 5.5.4 Unsupported option: NOTIFY");
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw("BDAT 2 LAST\r\nx\n").expect("503 5.5.1 Error: BDAT needs EHLO with CHUNKING first");
      client.send("DATA").expectStart("354 ");
      client.sendRaw("Subject: s\r\n\r\nx\r\n.\r\n").expect(QUEUED);
      // the refused chunk is no part of the message
      assertThat(take(smtp).subject()).isEqualTo("s");
      assertThat(smtp.messages()).hasSize(1);
      assertThat(kinds(smtp))
          .containsExactly(
              Violation.Kind.PARAMETER_NOT_OFFERED,
              Violation.Kind.PARAMETER_NOT_OFFERED,
              Violation.Kind.BDAT_NOT_OFFERED);
    }
  }

  @Test
  void aSpaceAfterTheColonAndAnAddressWithoutBracketsAreAcceptedAndNoted() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM: <a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:b@example.test").expect(RCPT_OK);
      client.send("RCPT TO : <c@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      client.sendRaw("Subject: loose\r\n\r\nx\r\n.\r\n").expect(QUEUED);

      ReceivedMessage message = take(smtp);
      assertThat(message.from()).isEqualTo("a@example.test");
      assertThat(message.recipients()).containsExactly("b@example.test", "c@example.test");
      assertThat(kinds(smtp))
          .containsExactly(
              Violation.Kind.SPACE_AROUND_COLON,
              Violation.Kind.PATH_WITHOUT_BRACKETS,
              Violation.Kind.SPACE_AROUND_COLON);
      assertThat(smtp.violations())
          .extracting(Violation::line)
          .containsExactly("MAIL FROM: <a@example.test>", "RCPT TO:b@example.test", "RCPT TO : <c@example.test>");
      assertThat(smtp.violations())
          .extracting(Violation::rfc)
          .containsExactly("RFC 5321 §3.3", "RFC 5321 §4.1.2", "RFC 5321 §3.3");
    }
  }

  @Test
  void strictModeRefusesASpaceAfterTheColonAndAnAddressWithoutBrackets() {
    try (SmtpDouble smtp = SmtpDouble.builder().strict().start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM: <a@example.test>").expect("501 5.1.7 Bad sender address syntax");
      client.send("MAIL FROM:a@example.test").expect("501 5.1.7 Bad sender address syntax");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO: <b@example.test>").expect("501 5.1.3 Bad recipient address syntax");
      client.send("RCPT TO:b@example.test").expect("501 5.1.3 Bad recipient address syntax");
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      assertThat(kinds(smtp))
          .containsExactly(
              Violation.Kind.SPACE_AROUND_COLON,
              Violation.Kind.PATH_WITHOUT_BRACKETS,
              Violation.Kind.SPACE_AROUND_COLON,
              Violation.Kind.PATH_WITHOUT_BRACKETS);
    }
  }

  @Test
  void aNulByteInTheMessageDataIsNotedAndKept() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      byte[] body = "Subject: nul\r\n\r\nclean\r\nbad\0byte\r\n\0\r\n".getBytes(US_ASCII);
      client.sendRaw(body).sendRaw(".\r\n").expect(QUEUED);

      assertThat(take(smtp).data()).isEqualTo(body);
      assertThat(kinds(smtp)).containsExactly(Violation.Kind.NUL_IN_DATA);
      Violation nul = smtp.violations().get(0);
      assertThat(nul.rfc()).isEqualTo("RFC 5322 §2.3");
      assertThat(nul.explanation()).endsWith("2 lines of the message data held a NUL byte");
      // it points at the first line with a NUL: the transcript shows it escaped
      String text =
          smtp.transcript().session(1).orElseThrow().lines().get(nul.lineNumber() - 1).text();
      assertThat(text).isEqualTo("bad\\x00byte");
    }
  }

  @Test
  void strictModeRejectsANulByteInTheData() {
    try (SmtpDouble smtp = SmtpDouble.builder().strict().start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      client
          .sendRaw("Subject: nul\r\n\r\n\0\r\n.\r\n")
          .expect("554 5.6.0 Message rejected: NUL in message data (RFC 5322 §2.3)");
      assertThat(take(smtp).accepted()).isFalse();
    }
  }

  @Test
  void jakartaMailSayingHeloIsClean() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Properties properties = new Properties();
      properties.put("mail.smtp.host", smtp.host());
      properties.put("mail.smtp.port", String.valueOf(smtp.port()));
      properties.put("mail.smtp.ehlo", "false");
      properties.put("mail.smtp.timeout", "5000");
      properties.put("mail.smtp.connectiontimeout", "5000");
      Session session = Session.getInstance(properties);
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("shop@example.test"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.test"));
      message.setSubject("Hello");
      message.setText("hi\r\n");
      Transport.send(message);
      assertThat(take(smtp).heloName()).isNotEmpty();
      SmtpTesting.awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
    }
  }
}
