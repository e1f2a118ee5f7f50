package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Strict mode refuses what it would otherwise only note, with the replies strict servers give. */
@Timeout(30)
class StrictModeTest {

  private static SmtpDouble strict() {
    return SmtpDouble.builder().strict().user("alice", "s3cret").start();
  }

  private static RawClient greeted(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    client.ehlo("client.test");
    return client;
  }

  private static Violation.Kind onlyKind(SmtpDouble smtp) {
    assertThat(smtp.violations()).hasSize(1);
    return smtp.violations().get(0).kind();
  }

  @Test
  void aBareLineFeedEndsNoCommand() {
    try (SmtpDouble smtp = strict();
        RawClient client = greeted(smtp)) {
      client.sendRaw("NOOP\n").expect("500 5.5.2 Error: bare <LF> received");
      client.send("NOOP").expect(OK);
      assertThat(onlyKind(smtp)).isEqualTo(Violation.Kind.BARE_LF);
    }
  }

  @Test
  void pipeliningThatWasNotOfferedIsRefused() {
    try (SmtpDouble smtp = strict();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.sendRaw("HELO client.test\r\nNOOP\r\n");
      client.expect(HELO_OK);
      client.expect("554 5.5.0 Error: improper command pipelining after HELO");
      assertThat(onlyKind(smtp)).isEqualTo(Violation.Kind.PIPELINING_NOT_OFFERED);
    }
  }

  @Test
  void offeredPipeliningIsFineButNotAfterTheEndOfAGroup() {
    try (SmtpDouble smtp = strict();
        RawClient client = greeted(smtp)) {
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nNOOP\r\nRSET\r\n");
      client.expect(MAIL_OK).expect(RCPT_OK).expect(OK);
      client.expect("554 5.5.0 Error: improper command pipelining after NOOP");
      assertThat(onlyKind(smtp)).isEqualTo(Violation.Kind.PIPELINED_AFTER_GROUP_END);
    }
  }

  @Test
  void mailBeforeHeloIsRefused() {
    try (SmtpDouble smtp = strict();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("MAIL FROM:<a@example.test>").expect("503 5.5.1 Error: send HELO/EHLO first");
      assertThat(onlyKind(smtp)).isEqualTo(Violation.Kind.MAIL_BEFORE_HELO);
    }
  }

  @Test
  void aNonAsciiAddressNeedsSmtpUtf8() {
    try (SmtpDouble smtp = strict();
        RawClient client = greeted(smtp)) {
      client
          .send("MAIL FROM:<jürgen@example.test>")
          .expect("553 5.6.7 Error: non-ASCII address requires SMTPUTF8");
      client.send("MAIL FROM:<jürgen@example.test> SMTPUTF8").expect(MAIL_OK);
      client.send("RCPT TO:<zoë@example.test>").expect(RCPT_OK);
      assertThat(onlyKind(smtp)).isEqualTo(Violation.Kind.NON_ASCII_WITHOUT_SMTPUTF8);
    }
  }

  @Test
  void eightBitDataWithoutBody8BitMimeIsRejectedButRecorded() {
    try (SmtpDouble smtp = strict();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354");
      client.sendRaw("Subject: x\r\n\r\nGrüße\r\n.\r\n".getBytes(StandardCharsets.UTF_8));
      client.expect("554 5.6.0 Message rejected: 8-bit data without BODY=8BITMIME (RFC 6152 §3)");
      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.accepted()).isFalse();
      assertThat(onlyKind(smtp)).isEqualTo(Violation.Kind.EIGHT_BIT_WITHOUT_8BITMIME);
    }
  }

  @Test
  void aBareLineFeedInTheDataIsRejected() {
    try (SmtpDouble smtp = strict();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354");
      client.sendRaw("Subject: x\r\n\r\nsmuggled\n.\nMAIL FROM:<x@evil.test>\r\n.\r\n");
      client.expect("554 5.6.0 Message rejected: bare LF (RFC 5321 §2.3.8)");
    }
  }

  @Test
  void aMessageLargerThanItsDeclaredSizeIsRejected() {
    try (SmtpDouble smtp = strict();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> SIZE=10").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354");
      client.sendRaw("Subject: longer than ten octets\r\n\r\nbody\r\n.\r\n");
      client.expect("552 5.3.4 Message larger than its declared SIZE");
    }
  }

  @Test
  void plaintextAuthWithoutTlsIsRefused() {
    try (SmtpDouble smtp = strict();
        RawClient client = greeted(smtp)) {
      client
          .send("AUTH PLAIN AGFsaWNlAHMzY3JldA==")
          .expect("538 5.7.11 Encryption required for requested authentication mechanism");
    }
  }

  @Test
  void aWellBehavedClientNeverMeetsStrictness() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().strict().start()) {
      Properties props = new Properties();
      props.put("mail.smtp.host", smtp.host());
      props.put("mail.smtp.port", String.valueOf(smtp.port()));
      props.put("mail.smtp.localhost", "client.test");
      Session session = Session.getInstance(props);
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("shop@example.test"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.test"));
      message.setSubject("Grüße");
      message.setText("Grüße aus Köln\r\n.a line with a leading period\r\n", "UTF-8");
      Transport.send(message);
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).accepted()).isTrue();
      assertThat(smtp.violations()).isEmpty();
    }
  }
}
