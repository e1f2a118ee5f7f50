package dev.smtpdouble.script;

import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static dev.smtpdouble.testing.Replies.SIZE_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.Extension;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a scripted reply does to the session (SPEC §8): a 2xx/3xx moves it where the command would
 * normally take it, a 4xx/5xx leaves it as it was; a scripted EHLO changes what the client is told
 * but not the builder's limits; {@code send} writes bytes exactly.
 */
@Timeout(30)
class ScriptedStateTest {
  private static final Duration TAKE = Duration.ofSeconds(5);

  private static RawClient helo(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    client.send("HELO client.test").expect(HELO_OK);
    return client;
  }

  private static void body(RawClient client, String expectedReply) {
    client.send("DATA").expectStart("354 ");
    client.send("Subject: s").send("").send("b").send(".").expect(expectedReply);
  }

  @Test
  void aScripted250ToRcptAcceptsARecipientTheLimitWouldRefuse() {
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .maxRecipients(1)
            .script("reply 250 \"2.1.5 let in\" to RCPT <vip@example.test>")
            .start()) {
      try (RawClient client = helo(smtp)) {
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<one@example.test>").expect(RCPT_OK);
        client.send("RCPT TO:<two@example.test>").expect("452 4.5.3 Error: too many recipients");
        client.send("RCPT TO:<VIP@example.test>").expect("250 2.1.5 let in");
        body(client, QUEUED);
      }
      ReceivedMessage message = smtp.takeMessage(TAKE);
      assertThat(message.recipients()).containsExactly("one@example.test", "VIP@example.test");
    }
  }

  @Test
  void aScripted250ToRcptWithoutMailOpensATransaction() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("reply 250 to RCPT").start();
        RawClient client = helo(smtp)) {
      client
          .send("RCPT TO:<b@example.test>")
          .expect("250 2.0.0 Requested mail action okay, completed");
      body(client, QUEUED);
      ReceivedMessage message = smtp.takeMessage(TAKE);
      assertThat(message.from()).isEmpty();
      assertThat(message.recipients()).containsExactly("b@example.test");
    }
  }

  @Test
  void aRefusedMailLeavesNoTransaction() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("reply 550 to MAIL once").start();
        RawClient client = helo(smtp)) {
      client
          .send("MAIL FROM:<a@example.test>")
          .expect("550 5.1.1 Requested action not taken: mailbox unavailable");
      client.send("RCPT TO:<b@example.test>").expect(NEED_MAIL);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
    }
  }

  @Test
  void aRefusedRecipientIsNotInTheMessage() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().script("reply 452 \"4.2.2 mailbox full\" to RCPT b@*").start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect("452 4.2.2 mailbox full");
      client.send("RCPT TO:<c@example.test>").expect(RCPT_OK);
      body(client, QUEUED);
      assertThat(smtp.takeMessage(TAKE).recipients()).containsExactly("c@example.test");
    }
  }

  @Test
  void aRefusedDataDoesNotEnterDataMode() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().script("reply 554 \"5.7.1 not today\" to DATA").start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect("554 5.7.1 not today");
      // still in command mode: a header line is an unknown command
      client.send("Subject: s").expect("500 5.5.2 Error: command not recognized");
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void aRefusedRsetKeepsTheTransaction() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("reply 500 to RSET").start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("RSET").expectStart("500 ");
      body(client, QUEUED);
      ReceivedMessage message = smtp.takeMessage(TAKE);
      assertThat(message.from()).isEqualTo("a@example.test");
      assertThat(message.recipients()).containsExactly("b@example.test");
    }
  }

  @Test
  void aRefusedEhloLeavesTheClientUngreeted() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("reply 554 to EHLO once").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("EHLO client.test").expect("554 5.0.0 Transaction failed");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.MAIL_BEFORE_HELO);
    }
  }

  @Test
  void thenAnswersTheLastBdatChunk() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .script("reply 250 \"2.0.0 chunk ok\" then 554 \"5.7.1 not this one\" to BDAT")
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw("BDAT 4\r\nabcd").expect("250 2.0.0 chunk ok");
      client.sendRaw("BDAT 3 LAST\r\nefg").expect("554 5.7.1 not this one");
      ReceivedMessage message = smtp.takeMessage(TAKE);
      assertThat(message.data()).isEqualTo("abcdefg".getBytes(StandardCharsets.US_ASCII));
      assertThat(message.chunked()).isTrue();
      assertThat(message.accepted()).isFalse();
      assertThat(message.reply().orElseThrow().code()).isEqualTo(554);
    }
  }

  @Test
  void a421AtTheEndOfDataIsRecordedThenTheConnectionCloses() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .script("reply 354 then 421 \"4.3.0 shutting down\" after DATA")
                .start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      body(client, "421 4.3.0 shutting down");
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
      ReceivedMessage message = smtp.takeMessage(TAKE);
      assertThat(message.accepted()).isFalse();
      assertThat(message.reply().orElseThrow().lines()).containsExactly("4.3.0 shutting down");
    }
  }

  @Test
  void aRawSendThatSpells354StartsTheMessageData() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().script("send \"354 go on, raw\\r\\n\" to DATA").start();
        RawClient client = helo(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect("354 go on, raw");
      client.send("Subject: s").send("").send("b").send(".").expect(QUEUED);
      assertThat(smtp.takeMessage(TAKE).accepted()).isTrue();
    }
  }

  @Test
  void sendWritesHexEscapesAsSingleBytes() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .script("send \"\\xff\\x00 odd\\t\\\"q\\\"\\\\\\r\\n\" to NOOP")
                .start();
        RawClient client = helo(smtp)) {
      client.send("NOOP");
      byte[] expected = {(byte) 0xFF, 0, ' ', 'o', 'd', 'd', '\t', '"', 'q', '"', '\\', '\r', '\n'};
      assertThat(client.readBytes(expected.length)).isEqualTo(expected);
      assertThat(client.awaitEnd(200)).isEqualTo("OPEN");
      assertThat(smtp.transcript().toString()).contains("C: NOOP\nS: \\xFF\\x00 odd\t\"q\"\\\\\n");
    }
  }

  @Test
  void sendCanWriteATruncatedReply() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("send \"25\" to NOOP").start();
        RawClient client = helo(smtp)) {
      client.send("NOOP");
      client.send("RSET");
      // the next reply runs on from the two bytes that have no line end
      assertThat(client.readLine()).isEqualTo("25250 2.0.0 Ok");
    }
  }

  @Test
  void aScriptedEhloDoesNotChangeTheSizeLimit() throws Exception {
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .sizeLimit(1000)
            .script("reply 250 \"mx.test\" \"SIZE 100000\" \"8BITMIME\" to EHLO")
            .start()) {
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect(GREETING);
        assertThat(client.ehlo("client.test"))
            .containsExactly("250-mx.test", "250-SIZE 100000", "250 8BITMIME");
        client
            .send("MAIL FROM:<a@example.test> SIZE=5000")
            .expect(SIZE_EXCEEDED);
        client.send("MAIL FROM:<a@example.test> SIZE=500").expect(MAIL_OK);
      }

      Session session = Jakarta.session(smtp);
      SMTPTransport transport = Jakarta.connect(session);
      try {
        assertThat(transport.getExtensionParameter("SIZE")).isEqualTo("100000");
        assertThat(transport.supportsExtension("8BITMIME")).isTrue();
        assertThat(transport.supportsExtension("PIPELINING")).isFalse();
        assertThat(transport.supportsExtension("CHUNKING")).isFalse();
        MimeMessage big = Jakarta.message(session, "Big", "alice@example.test");
        big.setText("x".repeat(5000));
        big.saveChanges();
        Throwable thrown = catchThrowable(() -> transport.sendMessage(big, big.getAllRecipients()));
        assertThat(thrown)
            .isInstanceOfSatisfying(
                SMTPSendFailedException.class, e -> assertThat(e.getReturnCode()).isEqualTo(552));
      } finally {
        Jakarta.closeQuietly(transport);
      }
      ReceivedMessage tooBig = smtp.takeMessage(TAKE);
      assertThat(tooBig.accepted()).isFalse();
      // answered 552, yet kept whole: it is far below the capture limit
      assertThat(tooBig.truncated()).isFalse();
      assertThat(tooBig.text()).contains("x".repeat(5000));
    }
  }

  @Test
  void pipeliningIsJudgedAgainstWhatTheScriptedEhloSaid() {
    try (SmtpDouble told =
            SmtpDouble.builder().script("reply 250 \"mx\" \"SIZE 1000\" to EHLO").start();
        RawClient client = RawClient.connect(told)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
      client.expect(MAIL_OK).expect(RCPT_OK);
      assertThat(told.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.PIPELINING_NOT_OFFERED);
    }
    try (SmtpDouble told =
            SmtpDouble.builder()
                .extensions(Extension.SIZE, Extension.ENHANCED_STATUS_CODES)
                .script("reply 250 \"mx\" \"PIPELINING\" to EHLO")
                .start();
        RawClient client = RawClient.connect(told)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
      client.expect(MAIL_OK).expect(RCPT_OK);
      client.send("QUIT").expect(BYE);
      assertThat(told.violations()).isEmpty();
    }
  }
}
