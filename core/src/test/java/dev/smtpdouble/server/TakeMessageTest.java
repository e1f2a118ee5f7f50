package dev.smtpdouble.server;

import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.sendMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SmtpDouble#takeMessage}: order, each message once, and clear failures. */
@Timeout(30)
class TakeMessageTest {

  private static void sendThree(SmtpDouble smtp) {
    try (RawClient client = greeted(smtp)) {
      for (int i = 1; i <= 3; i++) {
        sendMessage(client, "a@example.test", List.of("b@example.test"), "Subject: m" + i, "", "x");
      }
      client.send("QUIT").expect(BYE);
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void returnsMessagesInArrivalOrderEachOnce() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      sendThree(smtp);
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("m1");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("m2");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("m3");
      // taking does not remove anything from messages()
      assertThat(smtp.messages())
          .extracting(ReceivedMessage::subject)
          .containsExactly("m1", "m2", "m3");
    }
  }

  @Test
  void onTimeoutItSaysHowManyArrivedAndShowsTheTranscriptTail() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      sendThree(smtp);
      awaitEnded(smtp, 1);
      for (int i = 0; i < 3; i++) {
        smtp.takeMessage(Duration.ofSeconds(5));
      }
      long start = System.nanoTime();
      AssertionError error =
          catchThrowableOfType(
              AssertionError.class, () -> smtp.takeMessage(Duration.ofMillis(200)));
      assertThat(millisSince(start)).isBetween(190L, 3000L);
      assertThat(error)
          .hasMessageStartingWith(
              "No message arrived within 200 ms (3 received in all, 3 taken before).")
          .hasMessageContaining("1 session(s); the transcript ends:\n")
          .hasMessageContaining("C: QUIT\nS: 221 2.0.0 Bye\n")
          .hasMessageNotContaining("S: 220 localhost ESMTP");
    }
  }

  @Test
  void onTimeoutWithNoClientItSaysSo() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      AssertionError error =
          catchThrowableOfType(AssertionError.class, () -> smtp.takeMessage(Duration.ofSeconds(0)));
      assertThat(error)
          .hasMessage(
              "No message arrived within 0 s (0 received in all, 0 taken before). No client has"
                  + " connected to 127.0.0.1:"
                  + smtp.port()
                  + ".");
    }
  }

  /** A thread taking with a timeout far beyond the test's own: only a signal can wake it. */
  private static final class Taker extends Thread {
    final CompletableFuture<Object> result = new CompletableFuture<>();
    private final SmtpDouble smtp;

    Taker(SmtpDouble smtp) {
      this.smtp = smtp;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      try {
        result.complete(smtp.takeMessage(Duration.ofHours(1)));
      } catch (AssertionError e) {
        result.complete(e);
      }
    }

    /** Returns once the taker is parked in its timed wait for a message (not before it). */
    Taker waiting() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (getState() != Thread.State.TIMED_WAITING) {
        assertThat(System.nanoTime() - deadline).as("the taker never started waiting").isNegative();
        Thread.onSpinWait();
      }
      return this;
    }

    /** What takeMessage gave or threw; fails when no signal woke the taker. */
    Object outcome() throws Exception {
      try {
        return result.get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the waiting taker was never woken", e);
      }
    }
  }

  @Test
  void aMessageArrivingLaterWakesATakerThatIsWaiting() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Taker taker = new Taker(smtp).waiting();
      sendThree(smtp);
      assertThat(taker.outcome())
          .isInstanceOfSatisfying(
              ReceivedMessage.class, m -> assertThat(m.subject()).isEqualTo("m1"));
    }
  }

  @Test
  void afterCloseWhatIsLeftCanBeTakenThenItFailsAtOnce() {
    SmtpDouble smtp = SmtpDouble.start();
    sendThree(smtp);
    smtp.takeMessage(Duration.ofSeconds(5));
    awaitEnded(smtp, 1);
    smtp.close();
    assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("m2");
    assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("m3");
    long start = System.nanoTime();
    AssertionError error =
        catchThrowableOfType(AssertionError.class, () -> smtp.takeMessage(Duration.ofSeconds(10)));
    assertThat(millisSince(start)).isLessThan(1000);
    assertThat(error)
        .hasMessageStartingWith(
            "The double is closed and no message is left to take (3 received in all, 3 taken"
                + " before).");
    assertThat(smtp.messages()).hasSize(3);
  }

  @Test
  void closeWakesATakerThatIsWaiting() throws Exception {
    SmtpDouble smtp = SmtpDouble.start();
    Taker taker = new Taker(smtp).waiting();
    smtp.close();
    assertThat(taker.outcome())
        .isInstanceOfSatisfying(
            AssertionError.class,
            e -> assertThat(e).hasMessageStartingWith("The double is closed"));
  }

  @Test
  void anInterruptedTakerFailsAndKeepsItsInterruptFlag() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Thread.currentThread().interrupt();
      try {
        AssertionError error =
            catchThrowableOfType(
                AssertionError.class, () -> smtp.takeMessage(Duration.ofSeconds(10)));
        assertThat(error)
            .hasMessage("interrupted while waiting for a message")
            .hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void aTakerInterruptedWhileWaitingFailsAndKeepsItsInterruptFlag() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      CompletableFuture<Boolean> flagAfter = new CompletableFuture<>();
      Thread taker =
          new Thread(
              () -> {
                try {
                  smtp.takeMessage(Duration.ofSeconds(20));
                  flagAfter.complete(false);
                } catch (AssertionError e) {
                  flagAfter.complete(Thread.currentThread().isInterrupted());
                }
              });
      taker.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (taker.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // interrupt it while it waits, not before
      }
      taker.interrupt();
      assertThat(flagAfter.get(5, TimeUnit.SECONDS)).isTrue();
      taker.join(5000);
    }
  }

  @Test
  void resetStartsTakingAfresh() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      sendThree(smtp);
      smtp.takeMessage(Duration.ofSeconds(5));
      awaitEnded(smtp, 1);
      smtp.reset();
      AssertionError error =
          catchThrowableOfType(AssertionError.class, () -> smtp.takeMessage(Duration.ofMillis(50)));
      assertThat(error).hasMessageContaining("(0 received in all, 0 taken before)");
      sendThree(smtp);
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("m1");
    }
  }
}
