package dev.smtpdouble.script;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The faults are done for real on the socket: a delay sleeps only its own session, disconnect sends
 * FIN, reset sends RST, stall keeps the connection open until one side closes it, send writes
 * exactly its bytes.
 */
@Timeout(30)
class SocketFaultTest {

  private static RawClient connect(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    return client;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  @Test
  void aDelayDoesNotSlowAnotherSessionNorTheTest() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().script("delay 1s to NOOP slow").start();
        RawClient slow = connect(smtp);
        RawClient fast = connect(smtp)) {
      CountDownLatch sent = new CountDownLatch(1);
      CompletableFuture<Long> slowMillis =
          CompletableFuture.supplyAsync(
              () -> {
                long start = System.nanoTime();
                slow.send("NOOP slow");
                sent.countDown();
                slow.expect(OK);
                return millisSince(start);
              });
      assertThat(sent.await(5, TimeUnit.SECONDS)).isTrue();
      Sessions.showing(smtp, 1, "* delayed 1000 ms by script");

      // while session 1 sleeps, session 2 and the test's own calls go on at full speed
      List<Long> roundTrips = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        fast.send("NOOP").expect(OK);
        roundTrips.add(millisSince(start));
      }
      long start = System.nanoTime();
      smtp.script("reply 211 to HELP");
      smtp.transcript();
      smtp.messages();
      smtp.rules();
      assertThat(millisSince(start)).isLessThan(300);
      assertThat(slowMillis).isNotDone();

      assertThat(roundTrips).allSatisfy(millis -> assertThat(millis).isLessThan(300));
      assertThat(slowMillis.get(5, TimeUnit.SECONDS)).isBetween(950L, 3000L);
    }
  }

  @Test
  void aDelayAfterACommandHoldsBackTheNextReplyOnly() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("delay 400ms after NOOP").start();
        RawClient client = connect(smtp)) {
      long start = System.nanoTime();
      client.send("NOOP").expect(OK);
      assertThat(millisSince(start)).isLessThan(300);
      client.send("RSET").expect(OK);
      assertThat(millisSince(start)).isGreaterThanOrEqualTo(380);
    }
  }

  @Test
  void disconnectIsAnOrderlyCloseAfterWhatWasAlreadyWritten() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .script("reply 221 \"2.0.0 leaving now\", disconnect to NOOP")
                .start();
        RawClient client = connect(smtp)) {
      client.send("NOOP").expect("221 2.0.0 leaving now");
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
      Transcript.Session session = Sessions.ended(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.SCRIPT_DISCONNECT);
      assertThat(session.toString())
          .endsWith("C: NOOP\nS: 221 2.0.0 leaving now\n* disconnected by script\n");
    }
  }

  @Test
  void resetAbortsTheConnection() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().script("reset to NOOP").start();
        RawClient client = connect(smtp)) {
      client.send("NOOP");
      InputStream in = client.socket().getInputStream();
      assertThatThrownBy(
              () -> {
                while (in.read() >= 0) {
                  // read until the reset
                }
              })
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("Connection reset");
      Transcript.Session session = Sessions.ended(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.SCRIPT_RESET);
      assertThat(session.toString()).endsWith("C: NOOP\n* reset by script\n");
    }
  }

  @Test
  void resetAfterAReplyStillResets() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("reset after MAIL").start();
        RawClient client = connect(smtp)) {
      client.send("HELO client.test").expect(HELO_OK);
      client.send("MAIL FROM:<a@example.test>");
      assertThat(client.awaitEnd(2000)).isEqualTo("RESET");
      assertThat(Sessions.ended(smtp, 1).toString())
          .endsWith("C: MAIL FROM:<a@example.test>\nS: 250 2.1.0 Ok\n* reset by script\n");
    }
  }

  @Test
  void stallKeepsTheConnectionOpenAndCloseEndsItAtOnceLeavingNoThread() {
    SmtpDouble smtp = SmtpDouble.builder().script("stall after MAIL").start();
    String threadPrefix = "smtp-double-" + smtp.port() + "-";
    try (RawClient client = connect(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>");
      assertThat(client.awaitEnd(500)).isEqualTo("OPEN");
      Transcript.Session open = Sessions.showing(smtp, 1, "C: RCPT");
      assertThat(open.ending()).isEqualTo(Transcript.Ending.OPEN);
      assertThat(open.toString())
          .endsWith(
              "S: 250 2.1.0 Ok\n"
                  + "* stalled by script: no reply until the client or the double closes\n"
                  + "C: RCPT TO:<b@example.test>\n");
      assertThat(threadsNamed(threadPrefix)).isNotEmpty();

      long start = System.nanoTime();
      smtp.close();
      assertThat(millisSince(start)).isLessThan(2000);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    } finally {
      smtp.close();
    }
    assertThat(threadsNamed(threadPrefix)).isEmpty();
    assertThat(smtp.transcript().session(1).orElseThrow().ending())
        .isEqualTo(Transcript.Ending.DOUBLE_CLOSED);
  }

  @Test
  void closeEndsManyStalledSessionsAtOnce() {
    SmtpDouble smtp = SmtpDouble.builder().script("stall to CONNECT").start();
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        clients.add(RawClient.connect(smtp));
      }
      for (int i = 1; i <= 5; i++) {
        Sessions.showing(smtp, i, "* stalled by script");
      }
      long start = System.nanoTime();
      smtp.close();
      assertThat(millisSince(start)).isLessThan(2000);
      for (RawClient client : clients) {
        assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
      }
    } finally {
      smtp.close();
      clients.forEach(RawClient::close);
    }
    assertThat(threadsNamed("smtp-double-" + smtp.port() + "-")).isEmpty();
    assertThat(smtp.transcript().sessions())
        .hasSize(5)
        .allSatisfy(s -> assertThat(s.ending()).isEqualTo(Transcript.Ending.DOUBLE_CLOSED));
  }

  @Test
  void closeEndsADelayedSessionAtOnce() {
    SmtpDouble smtp = SmtpDouble.builder().script("delay 20s to NOOP").start();
    try (RawClient client = connect(smtp)) {
      client.send("NOOP");
      Sessions.showing(smtp, 1, "* delayed 20000 ms by script");
      long start = System.nanoTime();
      smtp.close();
      assertThat(millisSince(start)).isLessThan(2000);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    } finally {
      smtp.close();
    }
    assertThat(threadsNamed("smtp-double-" + smtp.port() + "-")).isEmpty();
    assertThat(smtp.transcript().session(1).orElseThrow().ending())
        .isEqualTo(Transcript.Ending.DOUBLE_CLOSED);
  }

  @ParameterizedTest
  @CsvSource({
    "disconnect after DATA, EOF, disconnected by script",
    "reset after DATA, RESET, reset by script",
    "stall after DATA, OPEN, stalled by script: no reply until the client or the double closes"
  })
  void aFaultAtTheEndOfDataRecordsTheMessageWithoutAReply(
      String rule, String clientSees, String event) {
    try (SmtpDouble smtp = SmtpDouble.builder().script(rule).start();
        RawClient client = connect(smtp)) {
      client.send("HELO client.test").expect(HELO_OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      client.send("Subject: s").send("").send("body").send(".");

      assertThat(client.awaitEnd(500)).isEqualTo(clientSees);
      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.data())
          .isEqualTo("Subject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(message.reply()).isEmpty();
      assertThat(message.accepted()).isFalse();
      assertThat(Sessions.showing(smtp, 1, event).toString())
          .contains("C: body\nC: .\n* " + event + "\n");
    }
  }

  @Test
  void sendThenDisconnectWritesATruncatedMultiLineReply() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .script("send \"250-first line of two\\r\\n\", disconnect to EHLO")
                .start();
        RawClient client = connect(smtp)) {
      client.send("EHLO client.test");
      byte[] expected = "250-first line of two\r\n".getBytes(StandardCharsets.US_ASCII);
      assertThat(client.readBytes(expected.length + 10)).isEqualTo(expected);
      assertThat(client.awaitEnd(1000)).isEqualTo("EOF");
    }
  }

  private static List<String> threadsNamed(String prefix) {
    List<String> names = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith(prefix) && thread.isAlive()) {
        names.add(thread.getName());
      }
    }
    return names;
  }
}
