package dev.smtpdouble.testing;

import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Shared pieces of the wire-level tests: a greeted client, a message sent, bounded waits. */
public final class SmtpTesting {
  /** How long a test waits for something that should happen at once. */
  public static final Duration WAIT = Duration.ofSeconds(5);

  private SmtpTesting() {}

  /** Connects, reads the default greeting and says EHLO; the reply must be positive. */
  public static RawClient greeted(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expectStart("220 ");
    List<String> ehlo = client.ehlo("client.test");
    assertThat(ehlo.get(ehlo.size() - 1)).startsWith("250 ");
    return client;
  }

  /** MAIL, one RCPT per recipient, DATA and the body lines (as given, so stuff them yourself). */
  public static void sendMessage(RawClient client, String from, List<String> to, String... lines) {
    client.send("MAIL FROM:<" + from + ">").expect(MAIL_OK);
    for (String recipient : to) {
      client.send("RCPT TO:<" + recipient + ">").expect(RCPT_OK);
    }
    client.send("DATA").expect(DATA_GO);
    StringBuilder body = new StringBuilder();
    for (String line : lines) {
      body.append(line).append("\r\n");
    }
    body.append(".\r\n");
    client.sendRaw(body.toString()).expect(QUEUED);
  }

  /** The next message, waiting at most {@link #WAIT}. */
  public static ReceivedMessage take(SmtpDouble smtp) {
    return smtp.takeMessage(WAIT);
  }

  /** Waits until the session has ended and returns it as it ended. */
  public static Transcript.Session awaitEnded(SmtpDouble smtp, int number) {
    return awaitValue(
        () ->
            smtp.transcript()
                .session(number)
                .filter(session -> session.ending() != Transcript.Ending.OPEN),
        "session " + number + " to end");
  }

  /** Polls until the supplier gives a value, for at most {@link #WAIT}. */
  public static <T> T awaitValue(Supplier<Optional<T>> supplier, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Optional<T> value = supplier.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      sleep(5);
    }
  }

  /** Sleeps, keeping the interrupt flag. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The lines of a session rendered as {@code C: ...} / {@code S: ...}, without events. */
  public static List<String> wireLines(Transcript.Session session) {
    return session.lines().stream()
        .filter(
            line ->
                line.direction() == Transcript.Direction.CLIENT
                    || line.direction() == Transcript.Direction.SERVER)
        .map(Transcript.Line::toString)
        .toList();
  }
}
