package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.Extension;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PIPELINING (RFC 2920): batches in one write get every reply in order. */
@Timeout(30)
class PipeliningTest {


  @Test
  void aWholeTransactionInTwoWritesGetsEveryReplyInOrder() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw(
          "MAIL FROM:<a@example.test>\r\n"
              + "RCPT TO:<b@example.test>\r\n"
              + "RCPT TO:<c@example.test>\r\n"
              + "DATA\r\n");
      client
          .expect(MAIL_OK)
          .expect(RCPT_OK)
          .expect(RCPT_OK)
          .expect(DATA_GO);
      client.sendRaw("Subject: piped\r\n\r\nbody\r\n.\r\nQUIT\r\n");
      client.expect(QUEUED).expect(BYE);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");

      ReceivedMessage message = take(smtp);
      assertThat(message.recipients()).containsExactly("b@example.test", "c@example.test");
      assertThat(message.data()).isEqualTo("Subject: piped\r\n\r\nbody\r\n".getBytes(US_ASCII));
      assertThat(awaitEnded(smtp, 1).ending()).isEqualTo(Transcript.Ending.QUIT);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void theNextTransactionMayFollowTheEndOfDataInTheSameWrite() {
    // the example of RFC 2920 §3.1: message content, then the next MAIL, RCPT and DATA
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
      client.expect(MAIL_OK).expect(RCPT_OK).expect(DATA_GO);
      client.sendRaw(
          "first\r\n.\r\nMAIL FROM:<c@example.test>\r\nRCPT TO:<d@example.test>\r\nDATA\r\n");
      client.expect(QUEUED).expect(MAIL_OK).expect(RCPT_OK).expect(DATA_GO);
      client.sendRaw("second\r\n.\r\nQUIT\r\n");
      client.expect(QUEUED).expect(BYE);

      assertThat(take(smtp).data()).isEqualTo("first\r\n".getBytes(US_ASCII));
      ReceivedMessage second = take(smtp);
      assertThat(second.from()).isEqualTo("c@example.test");
      assertThat(second.data()).isEqualTo("second\r\n".getBytes(US_ASCII));
      assertThat(second.transactionNumber()).isEqualTo(2);
      awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aLongBatchIsAnsweredCompletelyAndInOrder() {
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      batch.append(i % 2 == 0 ? "RSET\r\n" : "MAIL FROM:<a" + i + "@example.test>\r\n");
    }
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw(batch.toString());
      for (int i = 0; i < 3000; i++) {
        client.expect(i % 2 == 0 ? OK : MAIL_OK);
      }
      client.send("NOOP").expect(OK);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aBatchWithoutPipeliningOfferedIsAnsweredAndNoted() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .extensions(Extension.SIZE, Extension.ENHANCED_STATUS_CODES)
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client
          .send("EHLO client.test")
          .expectReply("250-localhost", "250-SIZE 52428800", "250 ENHANCEDSTATUSCODES");
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
      client.expect(MAIL_OK).expect(RCPT_OK).expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).recipients()).containsExactly("b@example.test");

      assertThat(smtp.violations()).hasSize(1);
      Violation violation = smtp.violations().get(0);
      assertThat(violation.kind()).isEqualTo(Violation.Kind.PIPELINING_NOT_OFFERED);
      assertThat(violation.sessionNumber()).isEqualTo(1);
      assertThat(violation.line()).isEqualTo("MAIL FROM:<a@example.test>");
      Transcript.Session session = smtp.transcript().session(1).orElseThrow();
      assertThat(session.lines().get(violation.lineNumber() - 1).toString())
          .isEqualTo("C: MAIL FROM:<a@example.test>");
      assertThat(session.toString()).contains("! pipelining without PIPELINING (RFC 2920 §3)");
    }
  }

  @Test
  void commandsAfterTheEndOfDataWithoutPipeliningAreNotedAsPipelining() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().extensions(Extension.ENHANCED_STATUS_CODES).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("EHLO client.test").expectReply("250-localhost", "250 ENHANCEDSTATUSCODES");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\nQUIT\r\n").expect(QUEUED).expect(BYE);
      awaitEnded(smtp, 1);
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.PIPELINING_NOT_OFFERED);
    }
  }

  @Test
  void aBatchAfterHeloIsNotedBecauseHeloOffersNothing() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("HELO client.test").expect(HELO_OK);
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
      client.expect(MAIL_OK).expect(RCPT_OK);
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.PIPELINING_NOT_OFFERED);
    }
  }

  @Test
  void aClientThatWaitsForEachReplyCommitsNoViolation() {
    try (SmtpDouble smtp = SmtpDouble.builder().extensions().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("HELO client.test").expect(HELO_OK);
      client.send("MAIL FROM:<a@example.test>").expect("250 Ok");
      client.send("RCPT TO:<b@example.test>").expect("250 Ok");
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect("250 Ok: queued");
      client.send("QUIT").expect("221 Bye");
      awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aCommandAfterTheEndOfAGroupIsNoted() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("NOOP\r\nMAIL FROM:<a@example.test>\r\n");
      client.expect(OK).expect(MAIL_OK);
      assertThat(smtp.violations())
          .extracting(Violation::kind, Violation::line)
          .containsExactly(tuple(Violation.Kind.PIPELINED_AFTER_GROUP_END, "NOOP"));
    }
  }

  @Test
  void messageDataSentBeforeThe354IsNotedButReceived() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n");
      client.expect(MAIL_OK).expect(RCPT_OK);
      client.sendRaw("DATA\r\nearly\r\n.\r\n");
      client.expect(DATA_GO).expect(QUEUED);
      assertThat(take(smtp).data()).isEqualTo("early\r\n".getBytes(US_ASCII));
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.DATA_BEFORE_354);
    }
  }
}
