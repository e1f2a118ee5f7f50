package dev.smtpdouble.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Shared pieces of the wire-level tests: the default replies and bounded waits. */
public final class SmtpTesting {
  /** How long a test waits for something that should happen at once. */
  public static final Duration WAIT = Duration.ofSeconds(5);

  /** The default greeting. */
  public static final String GREETING = "220 localhost ESMTP";

  /** The default EHLO reply: every extension, SIZE with the 50 MiB default limit. */
  public static final List<String> DEFAULT_EHLO =
      List.of(
          "250-localhost",
          "250-SIZE 52428800",
          "250-8BITMIME",
          "250-PIPELINING",
          "250-SMTPUTF8",
          "250-ENHANCEDSTATUSCODES",
          "250-CHUNKING",
          "250-BINARYMIME",
          "250 DSN");

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
    client.send("MAIL FROM:<" + from + ">").expect("250 2.1.0 Ok");
    for (String recipient : to) {
      client.send("RCPT TO:<" + recipient + ">").expect("250 2.1.5 Ok");
    }
    client.send("DATA").expect("354 End data with <CR><LF>.<CR><LF>");
    StringBuilder body = new StringBuilder();
    for (String line : lines) {
      body.append(line).append("\r\n");
    }
    body.append(".\r\n");
    client.sendRaw(body.toString()).expect("250 2.0.0 Ok: queued");
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
