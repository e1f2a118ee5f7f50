package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.LINE_TOO_LONG;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static dev.smtpdouble.testing.Replies.SIZE_EXCEEDED;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Reply;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Line limits, the size limit, recipient and session limits, idle and data timeouts. */
@Timeout(30)
class LimitsTest {

  private static final String TIMEOUT = "421 4.4.2 localhost Error: timeout exceeded";

  /** A command line of exactly {@code octets} octets with its CRLF. */
  private static String lineOf(String start, String end, int octets) {
    return start + "x".repeat(octets - 2 - start.length() - end.length()) + end;
  }

  @Test
  void aCommandLineOf512OctetsIsAcceptedAnd513IsTooLong() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send(lineOf("NOOP ", "", 512)).expect(OK);
      assertThat(smtp.violations()).isEmpty();
      String tooLong = lineOf("NOOP ", "", 513);
      client.send(tooLong).expect(LINE_TOO_LONG);
      client.send("NOOP").expect(OK);
      assertThat(smtp.violations())
          .singleElement()
          .satisfies(
              violation -> {
                assertThat(violation.kind()).isEqualTo(Violation.Kind.COMMAND_LINE_TOO_LONG);
                assertThat(violation.explanation()).contains("513 octets");
              });
    }
  }

  /**
   * Command lines are read through a small buffer (message data through a larger one): a command
   * line far longer than either is refused whole, and the lines after it are read as before.
   */
  @Test
  void aCommandLineLongerThanTheReadBuffersIsRefusedWholeAndTheSessionGoesOn() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send(lineOf("NOOP ", "", 100_000)).expect(LINE_TOO_LONG);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      assertThat(smtp.violations()).singleElement().satisfies(
          violation -> assertThat(violation.explanation()).contains("100000 octets"));
    }
  }

  @Test
  void aTooLongMailLineIsNotActedOn() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client
          .send(lineOf("MAIL FROM:<", "@example.test>", 513))
          .expect(LINE_TOO_LONG);
      client.send("RCPT TO:<b@example.test>").expect(NEED_MAIL);
    }
  }

  @Test
  void mailWithSizeGetsTwentySixOctetsMore() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send(lineOf("MAIL FROM:<", "@example.test> SIZE=100", 538)).expect(MAIL_OK);
      client.send("RSET").expect(OK);
      client
          .send(lineOf("MAIL FROM:<", "@example.test> SIZE=100", 539))
          .expect(LINE_TOO_LONG);
      client
          .send(lineOf("MAIL FROM:<", "@example.test>", 538))
          .expect(LINE_TOO_LONG);
    }
  }

  @Test
  void aHugeCommandLineIsRefusedAndTheSessionGoesOn() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("NOOP " + "y".repeat(100_000)).expect(LINE_TOO_LONG);
      client.send("NOOP").expect(OK);
      assertThat(smtp.violations().get(0).line()).hasSizeLessThan(300);
    }
  }

  @Test
  void aTextLineOver1000OctetsIsAcceptedButNoted() {
    String fine = "a".repeat(998);
    String long1 = "b".repeat(999);
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("Subject: long\r\n\r\n" + fine + "\r\n.\r\n").expect(QUEUED);
      assertThat(smtp.violations()).isEmpty();
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("Subject: long\r\n\r\nshort\r\n" + long1 + "\r\n.\r\n").expect(QUEUED);

      take(smtp);
      ReceivedMessage message = take(smtp);
      assertThat(message.data())
          .isEqualTo(("Subject: long\r\n\r\nshort\r\n" + long1 + "\r\n").getBytes(US_ASCII));
      assertThat(message.accepted()).isTrue();
      Violation violation = smtp.violations().get(0);
      assertThat(smtp.violations()).hasSize(1);
      assertThat(violation.kind()).isEqualTo(Violation.Kind.TEXT_LINE_TOO_LONG);
      assertThat(smtp.transcript().session(1).orElseThrow().lines().get(violation.lineNumber() - 1))
          .extracting(Transcript.Line::text)
          .isEqualTo(long1);
    }
  }

  @Test
  void aDeclaredSizeOverTheLimitIsRefusedAtMail() {
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(1000).start();
        RawClient client = greeted(smtp)) {
      client
          .send("MAIL FROM:<a@example.test> SIZE=1001")
          .expect(SIZE_EXCEEDED);
      client.send("RCPT TO:<b@example.test>").expect(NEED_MAIL);
      client.send("MAIL FROM:<a@example.test> SIZE=1000").expect(MAIL_OK);
    }
  }

  @Test
  void aSizeLimitOfZeroMeansNoLimit() {
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(0).start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> SIZE=999999999999").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x".repeat(100_000) + "\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).size()).isEqualTo(100_002);
    }
  }

  @Test
  void aDataLineLongerThanTheInputBufferArrivesExactly() {
    byte[] line = new byte[200_000];
    for (int i = 0; i < line.length; i++) {
      line[i] = (byte) ('a' + i % 26);
    }
    String text = new String(line, US_ASCII);
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("." + text + "\r\n" + text + "\r\n.\r\n").expect(QUEUED);
      assertThat(new String(take(smtp).data(), US_ASCII)).isEqualTo(text + "\r\n" + text + "\r\n");
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactlyInAnyOrder(
              Violation.Kind.TEXT_LINE_TOO_LONG, Violation.Kind.UNSTUFFED_DOT);
      assertThat(smtp.violations())
          .filteredOn(v -> v.kind() == Violation.Kind.TEXT_LINE_TOO_LONG)
          .singleElement()
          .satisfies(v -> assertThat(v.explanation()).contains("2 lines"));
    }
  }

  @Test
  void dataOverTheLimitIsRefusedAfterTheDataButKeptWhole() {
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(100).start();
        RawClient client = greeted(smtp)) {
      String exactly = "z".repeat(98) + "\r\n";
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw(exactly + ".\r\n").expect(QUEUED);

      StringBuilder big = new StringBuilder();
      for (int i = 0; i < 30; i++) {
        big.append(String.format("..line %02d\r\n", i));
      }
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw(big + ".\r\n").expect(SIZE_EXCEEDED);
      client.send("NOOP").expect(OK);

      ReceivedMessage atLimit = take(smtp);
      assertThat(atLimit.data()).isEqualTo(exactly.getBytes(US_ASCII));
      assertThat(atLimit.truncated()).isFalse();
      ReceivedMessage over = take(smtp);
      assertThat(over.truncated()).isFalse();
      assertThat(over.accepted()).isFalse();
      assertThat(over.reply()).contains(Reply.of(552, "5.3.4 Message size exceeds fixed limit"));
      String unstuffed = big.toString().replace("..line", ".line");
      assertThat(over.data()).isEqualTo(unstuffed.getBytes(US_ASCII));
    }
  }

  @Test
  void beyondTheCaptureLimitOnlyTheBeginningIsKept() {
    // the capture limit is the size limit plus the larger of the limit and 16 MiB
    int limit = 1000;
    int capture = limit + 16 * 1024 * 1024;
    byte[] chunk = new byte[capture + 5000];
    java.util.Arrays.fill(chunk, (byte) 'q');
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(limit).start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw(("BDAT " + chunk.length + " LAST\r\n").getBytes(US_ASCII));
      client.sendRaw(chunk).expect(SIZE_EXCEEDED);
      ReceivedMessage over = take(smtp);
      assertThat(over.truncated()).isTrue();
      assertThat(over.size()).isEqualTo(capture);
    }
  }

  @Test
  void aMessageBiggerThanItsDeclaredSizeButUnderTheLimitIsAccepted() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> SIZE=5").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("more than five\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).accepted()).isTrue();
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.LARGER_THAN_DECLARED_SIZE);
    }
  }

  @Test
  void recipientsOverTheLimitGet452() {
    try (SmtpDouble smtp = SmtpDouble.builder().maxRecipients(2).start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<r1@example.test>").expect(RCPT_OK);
      client.send("RCPT TO:<r2@example.test>").expect(RCPT_OK);
      client.send("RCPT TO:<r3@example.test>").expect("452 4.5.3 Error: too many recipients");
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).recipients()).containsExactly("r1@example.test", "r2@example.test");
      // the limit is per message
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<r3@example.test>").expect(RCPT_OK);
    }
  }

  @Test
  void sessionsOverTheLimitGet421AndAreClosed() {
    try (SmtpDouble smtp = SmtpDouble.builder().maxSessions(1).start()) {
      try (RawClient first = RawClient.connect(smtp)) {
        first.expect(GREETING);
        try (RawClient second = RawClient.connect(smtp)) {
          second.expect("421 4.3.2 localhost Error: too many connections");
          assertThat(second.awaitEnd(2000)).isEqualTo("EOF");
        }
        first.send("NOOP").expect(OK);
        first.send("QUIT").expect(BYE);
      }
      assertThat(awaitEnded(smtp, 2).ending()).isEqualTo(Transcript.Ending.SESSION_LIMIT);
      assertThat(awaitEnded(smtp, 2).lines())
          .extracting(Transcript.Line::toString)
          .contains("S: 421 4.3.2 localhost Error: too many connections");
      awaitEnded(smtp, 1);
      // once the first has gone, a new client is served again
      String greeting =
          SmtpTesting.awaitValue(
              () -> {
                try (RawClient third = RawClient.connect(smtp)) {
                  String line = third.readLine();
                  return line.equals(GREETING) ? Optional.of(line) : Optional.empty();
                }
              },
              "a session to be allowed again");
      assertThat(greeting).isEqualTo(GREETING);
    }
  }

  @Test
  void aClientThatHasEndedItsSessionMayConnectAgainAtOnce() {
    // the next connection must not race the end of the previous session for the only slot
    try (SmtpDouble smtp = SmtpDouble.builder().maxSessions(1).start()) {
      for (int i = 0; i < 200; i++) {
        try (RawClient client = RawClient.connect(smtp)) {
          client.expect(GREETING);
          if (i % 2 == 0) {
            client.send("QUIT").expect(BYE);
            assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
          }
        }
      }
      assertThat(smtp.transcript().sessions())
          .extracting(Transcript.Session::ending)
          .doesNotContain(Transcript.Ending.SESSION_LIMIT);
    }
  }

  @Test
  void anIdleSessionGets421AndIsClosed() {
    try (SmtpDouble smtp = SmtpDouble.builder().idleTimeout(Duration.ofMillis(300)).start();
        RawClient client = RawClient.connect(smtp)) {
      long start = System.nanoTime();
      client.expect(GREETING);
      client.send("EHLO client.test");
      client.readReply();
      client.expect(TIMEOUT);
      long waited = (System.nanoTime() - start) / 1_000_000;
      assertThat(waited).isGreaterThanOrEqualTo(280);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");

      Transcript.Session session = awaitEnded(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.IDLE_TIMEOUT);
      List<Transcript.Line> lines = session.lines();
      assertThat(lines.get(lines.size() - 1).toString()).isEqualTo("S: " + TIMEOUT);
      assertThat(session.toString()).contains("(idle timeout)");
    }
  }

  @Test
  void eachCommandRestartsTheIdleTimeout() {
    try (SmtpDouble smtp = SmtpDouble.builder().idleTimeout(Duration.ofMillis(400)).start();
        RawClient client = greeted(smtp)) {
      for (int i = 0; i < 4; i++) {
        SmtpTesting.sleep(200);
        client.send("NOOP").expect(OK);
      }
    }
  }

  @Test
  void aClientSendingOneByteAtATimeIsCutOffWhenTheLineTakesTooLong() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().idleTimeout(Duration.ofMillis(400)).start();
        RawClient client = greeted(smtp)) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread trickle =
          new Thread(
              () -> {
                byte[] line = "NOOP\r\n".getBytes(US_ASCII);
                for (byte b : line) {
                  if (stop.get()) {
                    return;
                  }
                  try {
                    client.sendRaw(new byte[] {b});
                  } catch (RuntimeException e) {
                    return; // the double closed the connection
                  }
                  SmtpTesting.sleep(150);
                }
              });
      long start = System.nanoTime();
      trickle.start();
      try {
        client.expect(TIMEOUT);
      } finally {
        stop.set(true);
        trickle.join(5000);
      }
      long waited = (System.nanoTime() - start) / 1_000_000;
      assertThat(waited).isBetween(350L, 3000L);
      assertThat(awaitEnded(smtp, 1).ending()).isEqualTo(Transcript.Ending.IDLE_TIMEOUT);
    }
  }

  @Test
  void theIdleTimeoutDoesNotCutOffASlowMessageButTheDataTimeoutDoes() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .idleTimeout(Duration.ofMillis(200))
                .dataTimeout(Duration.ofMillis(1500))
                .start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      for (int i = 0; i < 3; i++) {
        client.sendRaw("part " + i + "\r\n");
        SmtpTesting.sleep(300);
      }
      client.sendRaw(".\r\n").expect(QUEUED);
      assertThat(take(smtp).data()).isEqualTo("part 0\r\npart 1\r\npart 2\r\n".getBytes(US_ASCII));
    }
  }

  @Test
  void dataThatTakesTooLongGets421AndNoMessage() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .idleTimeout(Duration.ofSeconds(10))
                .dataTimeout(Duration.ofMillis(400))
                .start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      long start = System.nanoTime();
      client.sendRaw("Subject: slow\r\n\r\nand never finished\r\n");
      // keep sending, but never the end: the limit is for the whole message
      for (int i = 0; i < 3; i++) {
        SmtpTesting.sleep(100);
        client.sendRaw("more\r\n");
      }
      client.expect(TIMEOUT);
      long waited = (System.nanoTime() - start) / 1_000_000;
      assertThat(waited).isBetween(350L, 4000L);
      assertThat(client.awaitEnd(2000)).isIn("EOF", "RESET");

      Transcript.Session session = awaitEnded(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.IDLE_TIMEOUT);
      assertThat(session.lines())
          .extracting(Transcript.Line::toString)
          .contains("C: and never finished", "S: " + TIMEOUT);
      assertThat(smtp.messages()).isEmpty();
      assertThatThrownBy(() -> smtp.takeMessage(Duration.ofMillis(50)))
          .isInstanceOf(AssertionError.class);
    }
  }
}
