package dev.smtpdouble.examples.catalogue;

import static org.awaitility.Awaitility.await;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.examples.catalogue.Run.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one client against one fault: starts the double, configures the client (not timed), times
 * the send in a thread of its own with a hard limit, lets every session end, and takes what the
 * double saw. Nothing here retries: what the table calls a retry is the client's own.
 */
final class Harness {
  /** A client that has not reported by then gets the double closed under it. */
  static final Duration HARD_LIMIT = Duration.ofSeconds(15);

  /** How long the sessions may take to end after the client reported and was closed. */
  private static final Duration SESSIONS_END = Duration.ofSeconds(5);

  private Harness() {}

  static Run run(Fault fault, MailClient client) throws Exception {
    try (SmtpDouble smtp = fault.start()) {
      Attempt attempt =
          attempt(client, smtp.host(), smtp.port(), fault, () -> awaitSessionsEnded(smtp));
      awaitSessionsEnded(smtp);
      List<ReceivedMessage> messages = smtp.messages();
      Transcript transcript = smtp.transcript();
      List<Violation> violations = smtp.violations();
      System.out.printf(
          "%s / %s: %s after %d ms%n",
          fault.id(), client.name(), attempt.outcome().text(), attempt.elapsed().toMillis());
      return new Run(
          attempt.outcome(), attempt.error(), attempt.elapsed(), smtp.port(), messages, transcript, violations);
    }
  }

  /**
   * What a client reported when it sent the fault's message to a server.
   *
   * @param outcome sent, failed or no result
   * @param error what it threw, or null
   * @param elapsed from the call to the report
   */
  record Attempt(Outcome outcome, Throwable error, Duration elapsed) {}

  /**
   * Configures the client for a server (not timed), times the send in a thread of its own with a
   * hard limit, and closes the client.
   *
   * @param beforeClose runs after a failed send, before the client is closed
   */
  static Attempt attempt(MailClient client, String host, int port, Fault fault, Runnable beforeClose)
      throws Exception {
    ExecutorService thread =
        Executors.newSingleThreadExecutor(task -> new Thread(task, "catalogue-" + fault.id()));
    try {
      Outcome outcome;
      Throwable error = null;
      Duration elapsed;
      MailClient.Configured configured = client.configure(host, port, fault.client());
      try {
        long start = System.nanoTime();
        Future<?> sending =
            thread.submit(
                () -> {
                  configured.send(fault.mail());
                  return null;
                });
        try {
          sending.get(HARD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
          outcome = Outcome.SENT;
        } catch (ExecutionException e) {
          outcome = Outcome.FAILED;
          error = unwrap(e.getCause());
        } catch (TimeoutException e) {
          outcome = Outcome.NO_RESULT;
          sending.cancel(true);
        }
        elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (outcome != Outcome.SENT) {
          // Let a failed client end its session its own way before it is closed: Vert.x, closed at
          // once, sends QUIT a second time on a connection it is already quitting.
          beforeClose.run();
        }
      } finally {
        Future<?> closing =
            thread.submit(
                () -> {
                  configured.close();
                  return null;
                });
        try {
          closing.get(HARD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // closing is not what the table is about; the server ends what is left open
        }
      }
      return new Attempt(outcome, error, elapsed);
    } finally {
      thread.shutdownNow();
      if (!thread.awaitTermination(HARD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(client.name() + " did not stop after " + fault.id());
      }
    }
  }

  /** An asynchronous client's future fails with what the client failed with: report that. */
  private static Throwable unwrap(Throwable error) {
    Throwable unwrapped = error;
    while ((unwrapped instanceof ExecutionException || unwrapped instanceof CompletionException)
        && unwrapped.getCause() != null) {
      unwrapped = unwrapped.getCause();
    }
    return unwrapped;
  }

  /** Waits (bounded) until the double has seen every session end; open ones show as open. */
  static void awaitSessionsEnded(SmtpDouble smtp) {
    try {
      await("every session ended")
          .atMost(SESSIONS_END)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () ->
                  smtp.transcript().sessions().stream()
                      .allMatch(session -> session.ending() != Transcript.Ending.OPEN));
    } catch (ConditionTimeoutException e) {
      // the table shows the session as open; closing the double ends it
    }
  }
}
