package dev.smtpdouble.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How sessions end, as Postfix ends them: after a 421 or a scripted disconnect the double stops
 * reading and closes at once; closing the double tells open sessions 421 first; and the fixes to
 * the fault actions found while holding the double against smtp-sink.
 */
@Timeout(30)
class EndingsTest {
  private static final String SHUTTING_DOWN =
      "421 4.3.2 localhost Service shutting down, closing transmission channel";

  private static RawClient greeted(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect("220 localhost ESMTP");
    client.send("EHLO client.test").readReply();
    return client;
  }

  /** MAIL, RCPT and DATA, up to the 354. */
  private static void toData(RawClient client) {
    client.send("MAIL FROM:<a@example.test>").expectStart("250");
    client.send("RCPT TO:<b@example.test>").expectStart("250");
    client.send("DATA").expectStart("354");
  }

  @Test
  void afterA421TheDoubleReadsNothingMore() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("reply 421 \"4.3.2 Try again later\" to MAIL").start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect("421 4.3.2 Try again later");
      client.send("RSET"); // what Jakarta Mail sends next: a closed socket answers it with a reset

      Transcript.Session session = Sessions.ended(smtp, 1); // the socket is closed by now
      assertThat(session.ending()).isEqualTo(Transcript.Ending.CLOSED_AFTER_421);
      assertThat(session.toString()).doesNotContain("C: RSET");
      // the RSET meets a closed socket, which answers it with a reset; the reset may still be on
      // its way when the session shows ended, so a later write (within a bounded wait) fails
      assertThat(client.awaitEnd(2000)).isNotEqualTo("OPEN");
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 40; i++) {
                  client.send("QUIT");
                  Thread.sleep(50);
                }
              })
          .as("a write after the reset")
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void afterAScriptedDisconnectTheDoubleReadsNothingMore() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("disconnect to DATA").start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expectStart("250");
      client.send("RCPT TO:<b@example.test>").expectStart("250");
      client.send("DATA"); // answered by closing
      assertThat(client.awaitEnd(5000)).isIn("EOF", "RESET");
      client.send("RSET");

      Transcript.Session session = Sessions.ended(smtp, 1); // the socket is closed by now
      assertThat(session.ending()).isEqualTo(Transcript.Ending.SCRIPT_DISCONNECT);
      assertThat(session.toString()).doesNotContain("C: RSET");
      assertThatThrownBy(() -> client.send("QUIT"))
          .as("a write after the reset")
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void closingTheDoubleTellsOpenSessions421() throws Exception {
    SmtpDouble smtp = SmtpDouble.start();
    try (RawClient client = greeted(smtp)) {
      CompletableFuture.runAsync(smtp::close).get(10, TimeUnit.SECONDS);

      client.expect(SHUTTING_DOWN);
      assertThat(client.awaitEnd(5000)).isIn("EOF", "RESET");
      Transcript.Session session = smtp.transcript().session(1).orElseThrow();
      assertThat(session.toString()).contains("S: " + SHUTTING_DOWN);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.DOUBLE_CLOSED);
    }
  }

  @Test
  void closingTheDoubleMidDataSays421AndRecordsNoMessage() throws Exception {
    SmtpDouble smtp = SmtpDouble.start();
    try (RawClient client = greeted(smtp)) {
      toData(client);
      client.sendRaw("Subject: half\r\n\r\nthe first half of the body\r\n");
      Sessions.showing(smtp, 1, "C: DATA"); // the session is reading the body

      CompletableFuture.runAsync(smtp::close).get(10, TimeUnit.SECONDS);

      client.expect(SHUTTING_DOWN);
      assertThat(smtp.messages()).isEmpty();
      assertThat(smtp.transcript().session(1).orElseThrow().toString())
          .contains("no message recorded");
    }
  }

  @Test
  void aGreetingSentInFragmentsIsJudgedWhole() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .script("send \"22\", delay 50ms, send \"0 localhost ESMTP\\r\\n\" to CONNECT")
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      client.send("HELO client.test").expectStart("250");
    }
  }

  @Test
  void aDisconnectAfterDataIsCarriedOutWithReply354Then554ToData() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .script("reply 354 then 554 \"5.7.1 Rejected\" to DATA", "disconnect after DATA")
                .start();
        RawClient client = greeted(smtp)) {
      toData(client);
      client.sendRaw("Subject: hi\r\n\r\nhello\r\n.\r\n");
      client.expect("554 5.7.1 Rejected");
      assertThat(client.awaitEnd(5000)).isIn("EOF", "RESET");

      assertThat(Sessions.ended(smtp, 1).ending()).isEqualTo(Transcript.Ending.SCRIPT_DISCONNECT);
      assertThat(smtp.messages()).singleElement().satisfies(m -> assertThat(m.accepted()).isFalse());
    }
  }

  @Test
  void aQuitSentToAStalledSessionShowsInItsEnding() {
    try (SmtpDouble smtp = SmtpDouble.builder().script("stall after DATA").start()) {
      try (RawClient client = greeted(smtp)) {
        toData(client);
        client.sendRaw("Subject: hi\r\n\r\nhello\r\n.\r\n");
        Sessions.showing(smtp, 1, "stalled by script");
        client.send("QUIT");
        Sessions.showing(smtp, 1, "C: QUIT");
      } // the client gives up and closes

      Transcript.Session session = Sessions.ended(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.QUIT);
      assertThat(session.toString()).doesNotContain("without QUIT");
    }
  }
}
