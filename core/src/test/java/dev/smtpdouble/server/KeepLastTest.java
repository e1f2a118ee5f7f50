package dev.smtpdouble.server;

import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code keepLast(N)}: a double for long load tests keeps only the newest messages, violations and
 * ended sessions, so what it holds stops growing; what it dropped is counted and reported, never
 * silently missing.
 */
@Timeout(60)
class KeepLastTest {

  /** Sends {@code count} messages on one connection, each with a bare LF (a violation). */
  private static void send(SmtpDouble smtp, int first, int count) {
    try (RawClient client = RawClient.connect(smtp)) {
      client.expectStart("220 ");
      client.ehlo("client.test");
      for (int i = first; i < first + count; i++) {
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.send("DATA").expectStart("354 ");
        client.sendRaw("Subject: number " + i + "\r\n\r\nbare\nLF\r\n.\r\n").expectStart("250 ");
      }
      client.send("QUIT").expect(BYE);
      client.awaitEnd(2000);
    }
  }

  private static List<String> subjects(List<ReceivedMessage> messages) {
    List<String> subjects = new ArrayList<>();
    messages.forEach(m -> subjects.add(m.subject()));
    return subjects;
  }

  @Test
  void keepsTheNewestMessagesAndCountsTheDroppedOnes() {
    // tag::keep-last[]
    try (SmtpDouble smtp = SmtpDouble.builder().keepLast(3).start()) {
      send(smtp, 1, 10); // ten messages; the double keeps the newest three

      assertThat(subjects(smtp.messages())).containsExactly("number 8", "number 9", "number 10");
      assertThat(smtp.droppedMessages()).isEqualTo(7);
      assertThat(smtp.violations()).hasSize(3); // violations are bounded the same way
    }
    // end::keep-last[]
  }

  @Test
  void takeMessageSaysWhichMessagesWereDroppedThenGoesOnWithTheOldestKept() {
    try (SmtpDouble smtp = SmtpDouble.builder().keepLast(2).start()) {
      send(smtp, 1, 1);
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("number 1");
      send(smtp, 2, 5);

      AssertionError dropped =
          catchThrowableOfType(AssertionError.class, () -> smtp.takeMessage(Duration.ofSeconds(5)));
      assertThat(dropped)
          .hasMessageStartingWith("Messages 2 to 4 arrived but were dropped before being taken")
          .hasMessageContaining("keeps only the newest 2 (SmtpDouble.Builder.keepLast)")
          .hasMessageContaining("the next call takes message 5");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("number 5");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("number 6");
    }
  }

  @Test
  void aResetStartsTheCountsAgain() {
    try (SmtpDouble smtp = SmtpDouble.builder().keepLast(1).start()) {
      send(smtp, 1, 3);
      assertThat(smtp.droppedMessages()).isEqualTo(2);
      smtp.reset();
      assertThat(smtp.droppedMessages()).isZero();
      send(smtp, 4, 1);
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("number 4");
    }
  }

  @Test
  void endedSessionsBeyondTheBoundAreDroppedOldestFirst() {
    try (SmtpDouble smtp = SmtpDouble.builder().keepLast(2).start()) {
      for (int i = 1; i <= 6; i++) {
        send(smtp, i, 1);
      }
      try (RawClient open = RawClient.connect(smtp)) {
        open.expectStart("220 ");
        open.send("NOOP").expectStart("250 ");
        List<Integer> numbers = new ArrayList<>();
        smtp.transcript().sessions().forEach(s -> numbers.add(s.number()));
        // the newest two ended sessions, and the open one
        assertThat(numbers).containsExactly(5, 6, 7);
      }
    }
  }

  /**
   * Retention does not grow with the traffic: after each of many batches the double holds at most
   * N messages and N ended sessions, whatever it received before.
   */
  @Test
  void whatIsKeptStaysBoundedWhateverTheTraffic() {
    try (SmtpDouble smtp = SmtpDouble.builder().keepLast(5).start()) {
      int sent = 0;
      for (int batch = 0; batch < 20; batch++) {
        send(smtp, sent + 1, 10);
        sent += 10;
        assertThat(smtp.messages()).hasSize(5);
        assertThat(smtp.transcript().sessions()).hasSizeLessThanOrEqualTo(6);
        assertThat(smtp.violations()).hasSize(5);
      }
      assertThat(smtp.droppedMessages()).isEqualTo(sent - 5);
    }
  }

  /**
   * keepLast(0) keeps nothing, not even transcript lines, yet a listener hears every line and
   * message: what the command line builds on.
   */
  @Test
  void keepingNothingStillTellsTheListenerEverything() {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    List<String> subjects = Collections.synchronizedList(new ArrayList<>());
    SmtpDouble.Listener listener =
        new SmtpDouble.Listener() {
          @Override
          public void transcriptLine(int sessionNumber, Transcript.Line line) {
            lines.add(line.toString());
          }

          @Override
          public void messageReceived(ReceivedMessage message) {
            subjects.add(message.subject());
          }
        };
    try (SmtpDouble smtp = SmtpDouble.builder().keepLast(0).listener(listener).start()) {
      send(smtp, 1, 50);

      assertThat(subjects).hasSize(50).endsWith("number 50");
      assertThat(lines).contains("C: Subject: number 50", "S: 221 2.0.0 Bye");
      assertThat(smtp.messages()).isEmpty();
      assertThat(smtp.droppedMessages()).isEqualTo(50);
      assertThat(smtp.violations()).isEmpty();
      for (Transcript.Session session : smtp.transcript().sessions()) {
        assertThat(session.lines()).as("lines kept of session %d", session.number()).isEmpty();
      }
      assertThatThrownBy(() -> smtp.takeMessage(Duration.ofSeconds(1)))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("Messages 1 to 50 arrived but were dropped");
    }
  }

  @Test
  void aNegativeBoundIsRefused() {
    assertThatThrownBy(() -> SmtpDouble.builder().keepLast(-1).settings())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keepLast cannot be negative: -1");
  }

  @Test
  void violationsAreKeptInOrder() {
    try (SmtpDouble smtp = SmtpDouble.builder().keepLast(2).start()) {
      send(smtp, 1, 4);
      List<Violation> kept = smtp.violations();
      assertThat(kept).hasSize(2);
      assertThat(kept.get(0).lineNumber()).isLessThan(kept.get(1).lineNumber());
    }
  }
}
