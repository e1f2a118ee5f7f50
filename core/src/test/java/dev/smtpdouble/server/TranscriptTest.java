package dev.smtpdouble.server;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.sendMessage;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Transcript.Direction;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.Transcript.Line;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transcript: rendering, line order and times, how sessions end, and reset(). */
@Timeout(30)
class TranscriptTest {

  @Test
  void rendersAHeaderPerSessionThenEveryLineInOrder() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      int localPort;
      try (RawClient client = RawClient.connect(smtp)) {
        localPort = client.socket().getLocalPort();
        client.expect(GREETING);
        client.send("HELO client.test").expect(HELO_OK);
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.send("DATA").expect(DATA_GO);
        client.sendRaw("Subject: t\r\n\r\n..dot\r\n.\r\n").expect(QUEUED);
        client.send("QUIT").expect(BYE);
      }
      Transcript.Session session = awaitEnded(smtp, 1);
      String rendered = smtp.transcript().toString();

      Matcher header =
          Pattern.compile(
                  "=== session 1 from 127\\.0\\.0\\.1:(\\d+) at (\\S+) \\(client sent QUIT\\)\n")
              .matcher(rendered);
      assertThat(header.lookingAt()).as(rendered).isTrue();
      assertThat(Integer.parseInt(header.group(1))).isEqualTo(localPort);
      assertThat(Instant.parse(header.group(2))).isEqualTo(session.startedAt());
      assertThat(rendered.substring(header.end()))
          .isEqualTo(
              String.join(
                  "\n",
                  "S: 220 localhost ESMTP",
                  "C: HELO client.test",
                  "S: 250 localhost",
                  "C: MAIL FROM:<a@example.test>",
                  "S: 250 2.1.0 Ok",
                  "C: RCPT TO:<b@example.test>",
                  "S: 250 2.1.5 Ok",
                  "C: DATA",
                  "S: 354 End data with <CR><LF>.<CR><LF>",
                  "C: Subject: t",
                  "C: ",
                  "C: ..dot",
                  "C: .",
                  "S: 250 2.0.0 Ok: queued",
                  "C: QUIT",
                  "S: 221 2.0.0 Bye",
                  ""));
      assertThat(session.toString()).isEqualTo(rendered);
      assertThat(session.header()).isEqualTo(rendered.substring(0, header.end() - 1));
      assertThat(session.remoteAddress().getPort()).isEqualTo(localPort);
      assertThat(session.lines())
          .filteredOn(Line::messageData)
          .extracting(Line::text)
          .containsExactly("Subject: t", "", "..dot", ".");
      assertThat(session.lines())
          .filteredOn(line -> line.direction() == Direction.CLIENT && !line.messageData())
          .extracting(Line::text)
          .containsExactly(
              "HELO client.test",
              "MAIL FROM:<a@example.test>",
              "RCPT TO:<b@example.test>",
              "DATA",
              "QUIT");
    }
  }

  @Test
  void lineTimesAreOrderedAndWithinTheSession() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      try (RawClient client = greeted(smtp)) {
        for (int i = 0; i < 5; i++) {
          client.send("NOOP").expect(OK);
        }
        sendMessage(client, "a@example.test", List.of("b@example.test"), "x", "y");
        client.send("QUIT").expect(BYE);
      }
      Transcript.Session session = awaitEnded(smtp, 1);
      Instant end = session.endedAt().orElseThrow();
      Instant previous = session.startedAt();
      for (Line line : session.lines()) {
        assertThat(line.time()).as(line.toString()).isAfterOrEqualTo(previous);
        previous = line.time();
      }
      assertThat(previous).isBeforeOrEqualTo(end);
    }
  }

  @Test
  void eachWayAClientEndsASessionIsRecorded() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().idleTimeout(Duration.ofMillis(300)).start()) {
      try (RawClient client = greeted(smtp)) {
        client.send("QUIT").expect(BYE);
      }
      awaitEnded(smtp, 1);
      try (RawClient client = greeted(smtp)) {
        client.send("NOOP").expect(OK);
      }
      awaitEnded(smtp, 2);
      try (RawClient client = greeted(smtp)) {
        client.expect("421 4.4.2 localhost Error: timeout exceeded");
      }
      awaitEnded(smtp, 3);
      try (RawClient client = greeted(smtp)) {
        client.socket().setSoLinger(true, 0); // close with a TCP RST
      }
      awaitEnded(smtp, 4);

      Transcript transcript = smtp.transcript();
      assertThat(transcript.sessions())
          .extracting(Transcript.Session::number, Transcript.Session::ending)
          .containsExactly(
              tuple(1, Ending.QUIT),
              tuple(2, Ending.CLIENT_CLOSED),
              tuple(3, Ending.IDLE_TIMEOUT),
              tuple(4, Ending.CONNECTION_LOST));
      assertThat(transcript.toString())
          .contains("(client sent QUIT)\n")
          .contains("(client closed the connection without QUIT)\n")
          .contains("(idle timeout)\n")
          .contains("(connection lost)\n");
      Instant previous = Instant.MIN;
      for (Transcript.Session session : transcript.sessions()) {
        assertThat(session.startedAt()).isAfterOrEqualTo(previous);
        assertThat(session.endedAt())
            .hasValueSatisfying(end -> assertThat(end).isAfterOrEqualTo(session.startedAt()));
        previous = session.startedAt();
      }
    }
  }

  @Test
  void sessionsTheDoubleEndsAreRecordedToo() {
    SmtpDouble smtp = SmtpDouble.builder().maxSessions(2).start();
    RawClient first = RawClient.connect(smtp);
    RawClient second = RawClient.connect(smtp);
    try {
      first.expect(GREETING);
      second.expect(GREETING);
      try (RawClient over = RawClient.connect(smtp)) {
        over.expect("421 4.3.2 localhost Error: too many connections");
      }
      assertThat(awaitEnded(smtp, 3).ending()).isEqualTo(Ending.SESSION_LIMIT);
      Transcript.Session open = smtp.transcript().session(1).orElseThrow();
      assertThat(open.ending()).isEqualTo(Ending.OPEN);
      assertThat(open.endedAt()).isEmpty();
      assertThat(open.header()).endsWith("(open)");

      smtp.close();

      assertThat(smtp.transcript().sessions())
          .extracting(Transcript.Session::number, Transcript.Session::ending)
          .containsExactly(
              tuple(1, Ending.DOUBLE_CLOSED),
              tuple(2, Ending.DOUBLE_CLOSED),
              tuple(3, Ending.SESSION_LIMIT));
      assertThat(smtp.transcript().toString())
          .contains("(double closed)\n")
          .contains("(too many sessions)\n");
    } finally {
      first.close();
      second.close();
      smtp.close();
    }
  }

  @Test
  void aTakenMessageAlwaysHasItsTranscriptLines() throws Exception {
    int count = 300;
    try (SmtpDouble smtp = SmtpDouble.start()) {
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                try (RawClient client = greeted(smtp)) {
                  for (int i = 0; i < count; i++) {
                    sendMessage(client, "a@example.test", List.of("b@example.test"), "marker " + i);
                  }
                }
              });
      for (int i = 0; i < count; i++) {
        ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(10));
        List<Line> lines = smtp.transcript().session(message.sessionNumber()).orElseThrow().lines();
        int data = lines.indexOf(lineWithText(lines, "marker " + i));
        assertThat(data).as("data line of message %d", i).isPositive();
        assertThat(lines.get(data + 1).toString()).isEqualTo("C: .");
        assertThat(lines.get(data + 2).toString()).isEqualTo("S: 250 2.0.0 Ok: queued");
        assertThat(message.reply().orElseThrow().code()).isEqualTo(250);
      }
      sender.get(10, TimeUnit.SECONDS);
    }
  }

  private static Line lineWithText(List<Line> lines, String text) {
    return lines.stream().filter(line -> line.text().equals(text)).findFirst().orElse(null);
  }

  @Test
  void resetClearsWhatHappenedButKeepsSettingsAndOpenSessions() {
    try (SmtpDouble smtp =
        SmtpDouble.builder().hostname("mx.example.test").sizeLimit(1000).start()) {
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect("220 mx.example.test ESMTP");
        client.sendRaw("NOOP\n").expect(OK);
        client.send("EHLO client.test").readReply();
        sendMessage(client, "a@example.test", List.of("b@example.test"), "before reset");
        client.send("QUIT").expect(BYE);
      }
      awaitEnded(smtp, 1);
      try (RawClient open = RawClient.connect(smtp)) {
        open.expect("220 mx.example.test ESMTP");
        assertThat(smtp.messages()).hasSize(1);
        assertThat(smtp.violations()).isNotEmpty();

        smtp.reset();

        assertThat(smtp.messages()).isEmpty();
        assertThat(smtp.violations()).isEmpty();
        // the closed session is gone, the open one stays and goes on being recorded
        assertThat(smtp.transcript().sessions())
            .extracting(Transcript.Session::number)
            .containsExactly(2);
        assertThat(smtp.settings().hostname()).isEqualTo("mx.example.test");
        assertThat(smtp.settings().sizeLimit()).isEqualTo(1000);
        assertThat(open.ehlo("client.test")).contains("250-SIZE 1000");
        sendMessage(open, "c@example.test", List.of("d@example.test"), "after reset");
        ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
        assertThat(message.from()).isEqualTo("c@example.test");
        assertThat(message.sessionNumber()).isEqualTo(2);
        assertThat(smtp.transcript().session(2).orElseThrow().lines())
            .extracting(Line::toString)
            .contains("C: after reset");
      }
      try (RawClient later = RawClient.connect(smtp)) {
        later.expect("220 mx.example.test ESMTP");
      }
      // numbers go on after reset: session 2 outlived it, so restarting would repeat numbers
      assertThat(awaitEnded(smtp, 3).number()).isEqualTo(3);
      assertThat(smtp.transcript().sessions())
          .extracting(Transcript.Session::number)
          .containsExactly(2, 3);
    }
  }

  @Test
  void violationsAreMarkedInTheRendering() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("NOOP\n").expect(OK);
      assertThat(smtp.transcript().toString())
          .contains(
              "C: NOOP\n! bare LF (RFC 5321 §2.3.8): the command line ended with LF alone\nS: 250"
                  + " 2.0.0 Ok\n");
      assertThat(smtp.transcript().lines())
          .extracting(Line::direction)
          .contains(Direction.VIOLATION);
    }
  }

  @Test
  void aSnapshotDoesNotChangeAfterwards() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      Transcript before = smtp.transcript();
      int lines = before.lines().size();
      client.send("NOOP").expect(OK);
      assertThat(before.lines()).hasSize(lines);
      assertThat(smtp.transcript().lines()).hasSize(lines + 2);
      assertThat(smtp.transcript().session(2)).isEmpty();
    }
  }
}
