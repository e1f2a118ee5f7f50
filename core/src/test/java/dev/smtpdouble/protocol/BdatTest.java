package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.NEED_RCPT;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static dev.smtpdouble.testing.Replies.SIZE_EXCEEDED;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Reply;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CHUNKING: BDAT with LAST, several chunks, sequence and syntax errors, verbatim data. */
@Timeout(30)
class BdatTest {


  private static void envelope(RawClient client) {
    client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
    client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
  }

  @Test
  void oneLastChunkIsAWholeMessage() {
    String data = "Subject: one\r\n\r\nbody\r\n";
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.sendRaw("BDAT " + data.length() + " LAST\r\n" + data).expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.data()).isEqualTo(data.getBytes(US_ASCII));
      assertThat(message.chunked()).isTrue();
      assertThat(message.subject()).isEqualTo("one");
      assertThat(message.recipients()).containsExactly("b@example.test");
      assertThat(message.reply()).contains(Reply.of(250, "2.0.0 Ok: queued"));
      assertThat(message.transactionNumber()).isEqualTo(1);
    }
  }

  @Test
  void severalChunksAreJoinedAndEachIsAcknowledged() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.sendRaw("BDAT 10\r\nSubject: t").expect("250 2.0.0 10 octets received");
      client.sendRaw("BDAT 5\r\nwo\r\n\r").expect("250 2.0.0 5 octets received");
      client.sendRaw("bdat 9 last\r\n\nmid-line").expect(QUEUED);
      client.send("NOOP").expect(OK);
      ReceivedMessage message = take(smtp);
      assertThat(new String(message.data(), US_ASCII)).isEqualTo("Subject: two\r\n\r\nmid-line");
      assertThat(message.subject()).isEqualTo("two");
      assertThat(message.chunked()).isTrue();
    }
  }

  @Test
  void rsetInTheMiddleOfAChunkedTransactionDiscardsTheChunksSentSoFar() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.sendRaw("BDAT 18\r\nSubject: dropped\r\n").expect("250 2.0.0 18 octets received");
      client.send("RSET").expect(OK);
      // the transaction is gone: a LAST chunk now has no MAIL to belong to
      client.sendRaw("BDAT 4 LAST\r\nlost").expectStart("503 ");
      envelope(client);
      String data = "Subject: kept\r\n\r\nbody\r\n";
      client.sendRaw("BDAT " + data.length() + " LAST\r\n" + data).expect(QUEUED);
      client.send("QUIT").expect(BYE);
      awaitEnded(smtp, 1);

      assertThat(smtp.messages()).singleElement().satisfies(m -> {
        assertThat(new String(m.data(), US_ASCII)).isEqualTo(data);
        assertThat(m.subject()).isEqualTo("kept");
        assertThat(m.transactionNumber()).isEqualTo(1);
      });
    }
  }

  @Test
  void aZeroSizeLastChunkEndsTheMessage() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.sendRaw("BDAT 5\r\nabc\r\n").expect("250 2.0.0 5 octets received");
      client.send("BDAT 0 LAST").expect(QUEUED);
      envelope(client);
      client.send("BDAT 0 LAST").expect(QUEUED);
      assertThat(take(smtp).data()).isEqualTo("abc\r\n".getBytes(US_ASCII));
      ReceivedMessage empty = take(smtp);
      assertThat(empty.data()).isEmpty();
      assertThat(empty.transactionNumber()).isEqualTo(2);
    }
  }

  @Test
  void chunksAreKeptVerbatimWithoutUnstuffing() {
    String data = "..two dots\r\n.\r\n.one dot\r\n";
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.sendRaw("BDAT " + data.length() + " LAST\r\n" + data).expect(QUEUED);
      assertThat(take(smtp).data()).isEqualTo(data.getBytes(US_ASCII));
      client.send("QUIT").expect(BYE);
      Transcript.Session session = awaitEnded(smtp, 1);
      assertThat(
              session.lines().stream()
                  .filter(Transcript.Line::messageData)
                  .map(Transcript.Line::toString))
          .containsExactly("C: ..two dots", "C: .", "C: .one dot");
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void binaryDataArrivesExactlyWithBinaryMime() {
    byte[] binary = new byte[512];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> BODY=BINARYMIME").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw("BDAT 512 LAST\r\n").sendRaw(binary).expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.data()).isEqualTo(binary);
      assertThat(message.bodyType()).contains("BINARYMIME");
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aChunkLargerThanTheInputBufferArrivesExactly() {
    byte[] chunk = new byte[300_000];
    new Random(7).nextBytes(chunk);
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> BODY=BINARYMIME").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw("BDAT 100000\r\n").sendRaw(Arrays.copyOf(chunk, 100_000));
      client.expect("250 2.0.0 100000 octets received");
      client
          .sendRaw("BDAT 200000 LAST\r\n")
          .sendRaw(Arrays.copyOfRange(chunk, 100_000, 300_000))
          .expect(QUEUED);
      assertThat(Arrays.mismatch(take(smtp).data(), chunk)).isEqualTo(-1);
    }
  }

  @Test
  void bdatWithoutMailIsRefusedButItsChunkIsConsumed() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      // the chunk would read as an unknown command if it were not skipped
      client.sendRaw("BDAT 5 LAST\r\nFOO\r\n").expect(NEED_MAIL);
      client.sendRaw("BDAT 5\r\nFOO\r\n").expect(NEED_MAIL);
      client.send("NOOP").expect(OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.sendRaw("BDAT 5 LAST\r\nFOO\r\n").expect(NEED_RCPT);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw("BDAT 3 LAST\r\nyes").expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.data()).isEqualTo("yes".getBytes(US_ASCII));
      assertThat(smtp.messages()).hasSize(1);
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.DATA_WITHOUT_RECIPIENT);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"BDAT", "BDAT x", "BDAT 5 FIRST", "BDAT -1", "BDAT 5 LAST more", "BDAT 1.5"})
  void malformedBdatIsASyntaxError(String command) {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.send(command).expect("501 5.5.4 Syntax: BDAT count [LAST]");
      client.sendRaw("BDAT 2 LAST\r\nok").expect(QUEUED);
      assertThat(take(smtp).data()).isEqualTo("ok".getBytes(US_ASCII));
    }
  }

  @Test
  void aChunkOverTheSizeLimitIsRefusedAtLastButKeptWhole() {
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(10).start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.sendRaw("BDAT 8\r\n12345678").expect("250 2.0.0 8 octets received");
      client
          .sendRaw("BDAT 8 LAST\r\nabcdefgh")
          .expect(SIZE_EXCEEDED);
      client.send("NOOP").expect(OK);
      ReceivedMessage message = take(smtp);
      assertThat(message.truncated()).isFalse();
      assertThat(message.accepted()).isFalse();
      assertThat(message.data()).isEqualTo("12345678abcdefgh".getBytes(US_ASCII));
      assertThat(message.reply().map(Reply::code)).contains(552);
    }
  }

  @Test
  void pipelinedChunksAreAnsweredInOrder() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw(
          "MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n"
              + "BDAT 3\r\nabcBDAT 3\r\ndefBDAT 3 LAST\r\nghiQUIT\r\n");
      client
          .expect(MAIL_OK)
          .expect(RCPT_OK)
          .expect("250 2.0.0 3 octets received")
          .expect("250 2.0.0 3 octets received")
          .expect(QUEUED)
          .expect(BYE);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).data())
          .isEqualTo("abcdefghi".getBytes(US_ASCII));
      awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void dataAfterBdatInTheSameTransactionIsABadSequence() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      envelope(client);
      client.sendRaw("BDAT 3\r\nabc").expect("250 2.0.0 3 octets received");
      client.send("DATA").expect("503 5.5.1 Error: DATA after BDAT in the same transaction");
      client.sendRaw("BDAT 3 LAST\r\ndef").expect(QUEUED);
      assertThat(take(smtp).data()).isEqualTo("abcdef".getBytes(US_ASCII));
    }
  }
}
