package dev.smtpdouble.assertj;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Assertions on a double: passing and failing, with the exact failure messages, and waiting. */
@Timeout(60)
@SmtpServer
class SmtpDoubleAssertTest {

  private static Executor after(long millis) {
    return CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
  }

  private static void send(SmtpDouble smtp, String subject) {
    RawClient.sendMessage(smtp, "a@example.test", "b@example.test", subject, "body of " + subject);
  }

  private static String where(SmtpDouble smtp) {
    return "smtp-double at 127.0.0.1:" + smtp.port();
  }

  // ---- waiting ----

  @Test
  void hasReceivedWaitsForAMessageSentLaterFromAnotherThread(SmtpDouble smtp) {
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(() -> send(smtp, "late"), after(500));

    assertThat(smtp).hasReceived(1).first().hasSubject("late");
    // the message is recorded before its 250 is written, so the sender may still be reading it
    assertThat(sender).succeedsWithin(Duration.ofSeconds(5));
  }

  @Test
  void theDefaultWaitOutsideTheExtensionIsLongerThanASecond() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      CompletableFuture.runAsync(() -> send(smtp, "later"), after(1200));

      assertThat(smtp).hasReceivedAtLeast(1).message(0).hasSubject("later");
    }
  }

  @Test
  void aTimeoutSaysWhatArrivedWithTheLastCheckAsCause(SmtpDouble smtp) {
    AssertionError error =
        catchThrowableOfType(
            AssertionError.class,
            () -> assertThat(smtp).within(Duration.ofMillis(200)).hasReceived(1));

    assertThat(error)
        .hasMessage(
            "Expecting %s to have received exactly:\n"
                + "  1 message\n"
                + "within 200 ms, but it received:\n"
                + "  0 messages\n"
                + "No client connected to 127.0.0.1:%d.",
            where(smtp), smtp.port());
    assertThat(error.getCause())
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "Expecting %s to have received exactly:\n  1 message\nbut it received:\n  0 messages",
            where(smtp));
  }

  @Test
  void aTimeoutShowsTheEndOfTheTranscript(SmtpDouble smtp) {
    smtp.script("reply 452 \"4.3.1 Out of space\" to MAIL");
    try (RawClient first = RawClient.greeted(smtp)) {
      first.command("HELO first.test");
      first.command("MAIL FROM:<a@example.test>");
      first.command("QUIT");
    }
    try (RawClient second = RawClient.greeted(smtp)) {
      second.command("EHLO second.test");

      assertThatThrownBy(() -> assertThat(smtp).within(Duration.ofMillis(100)).hasReceived(1))
          .message()
          .matches(
              Pattern.quote(
                      "Expecting "
                          + where(smtp)
                          + " to have received exactly:\n"
                          + "  1 message\n"
                          + "within 100 ms, but it received:\n"
                          + "  0 messages\n"
                          + "The transcript ends (2 sessions):\n")
                  + "  === session 1 from 127\\.0\\.0\\.1:\\d+ at \\S+ \\((client sent"
                  + " QUIT|open)\\)\n"
                  + Pattern.quote(
                      "  S: 220 localhost ESMTP\n"
                          + "  C: HELO first.test\n"
                          + "  S: 250 localhost\n"
                          + "  C: MAIL FROM:<a@example.test>\n"
                          + "  S: 452 4.3.1 Out of space\n"
                          + "  C: QUIT\n"
                          + "  S: 221 2.0.0 Bye\n")
                  + "  === session 2 from 127\\.0\\.0\\.1:\\d+ at \\S+ \\(open\\)\n"
                  + Pattern.quote(
                      "  S: 220 localhost ESMTP\n"
                          + "  C: EHLO second.test\n"
                          + "  S: 250-localhost\n"
                          + "  S: 250-SIZE 52428800\n"
                          + "  S: 250-8BITMIME\n"
                          + "  S: 250-PIPELINING\n"
                          + "  S: 250-SMTPUTF8\n"
                          + "  S: 250-ENHANCEDSTATUSCODES\n"
                          + "  S: 250-CHUNKING\n"
                          + "  S: 250-BINARYMIME\n"
                          + "  S: 250 DSN"));
    }
  }

  // ---- counts ----

  @Test
  void hasReceivedFailsAtOnceWhenMoreArrived(SmtpDouble smtp) {
    send(smtp, "one");
    send(smtp, "two");

    assertThat(smtp).hasReceived(2).hasReceivedAtLeast(1);
    assertThatThrownBy(() -> assertThat(smtp).hasReceived(1))
        .hasMessage(
            "Expecting %s to have received exactly:\n"
                + "  1 message\n"
                + "but it received:\n"
                + "  2 messages:\n"
                + "  #1 from <a@example.test> to [b@example.test], subject \"one\", answered 250"
                + " 2.0.0 Ok: queued\n"
                + "  #2 from <a@example.test> to [b@example.test], subject \"two\", answered 250"
                + " 2.0.0 Ok: queued",
            where(smtp));
  }

  @Test
  void hasReceivedAtLeastListsWhatDidArrive(SmtpDouble smtp) {
    smtp.script("reply 354 then 554 \"5.7.1 Rejected as spam\" after DATA");
    send(smtp, "spam");

    assertThatThrownBy(() -> assertThat(smtp).within(Duration.ofMillis(50)).hasReceivedAtLeast(2))
        .hasMessageStartingWith(
            "Expecting "
                + where(smtp)
                + " to have received at least:\n"
                + "  2 messages\n"
                + "within 50 ms, but it received:\n"
                + "  1 message:\n"
                + "  #1 from <a@example.test> to [b@example.test], subject \"spam\", answered 554"
                + " 5.7.1 Rejected as spam\n"
                + "The transcript ends (1 session):\n");
  }

  @Test
  void hasNoMessages(SmtpDouble smtp) {
    assertThat(smtp).hasNoMessages();
    send(smtp, "one");

    assertThatThrownBy(() -> assertThat(smtp).hasNoMessages())
        .hasMessage(
            "Expecting %s to have received no message, but it received:\n"
                + "  1 message:\n"
                + "  #1 from <a@example.test> to [b@example.test], subject \"one\", answered 250"
                + " 2.0.0 Ok: queued",
            where(smtp));
  }

  // ---- navigation ----

  @Test
  void messageByIndexWaitsAndDescribesItself(SmtpDouble smtp) {
    send(smtp, "one");
    CompletableFuture.runAsync(() -> send(smtp, "two"), after(300));

    assertThat(smtp).message(1).hasSubject("two");
    assertThat(smtp).first().hasSubject("one");
    assertThatThrownBy(() -> assertThat(smtp).message(0).hasSubject("two"))
        .hasMessageStartingWith("[message #1] Expecting message\n");
    assertThatThrownBy(() -> assertThat(smtp).as("outbox").message(1).hasSubject("one"))
        .hasMessageStartingWith("[outbox, message #2] Expecting message\n");
    assertThatThrownBy(() -> assertThat(smtp).message(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("index cannot be negative: -1");
  }

  @Test
  void messageByIndexTimesOutSayingWhichMessageItWanted(SmtpDouble smtp) {
    send(smtp, "one");

    assertThatThrownBy(() -> assertThat(smtp).within(Duration.ofMillis(50)).message(2))
        .hasMessageStartingWith(
            "Expecting "
                + where(smtp)
                + " to have received at least:\n"
                + "  3 messages (to look at message #3, index 2)\n"
                + "within 50 ms, but it received:\n"
                + "  1 message:\n"
                + "  #1 from <a@example.test> to [b@example.test], subject \"one\"");
  }

  @Test
  void messageMatchingReturnsTheFirstMatch(SmtpDouble smtp) {
    send(smtp, "one");
    CompletableFuture.runAsync(
        () -> RawClient.sendMessage(smtp, "a@example.test", "bob@example.test", "for bob", "hi"), after(300));

    assertThat(smtp)
        .messageMatching(m -> m.recipients().contains("bob@example.test"))
        .hasSubject("for bob");
    assertThatThrownBy(
            () ->
                assertThat(smtp)
                    .within(Duration.ofMillis(50))
                    .messageMatching("sent to carol", m -> m.recipients().contains("carol")))
        .hasMessageStartingWith(
            "Expecting "
                + where(smtp)
                + " to have received a message matching:\n"
                + "  sent to carol\n"
                + "within 50 ms, but it received:\n"
                + "  2 messages:\n"
                + "  #1 from <a@example.test> to [b@example.test], subject \"one\", answered 250"
                + " 2.0.0 Ok: queued\n"
                + "  #2 from <a@example.test> to [bob@example.test], subject \"for bob\","
                + " answered 250 2.0.0 Ok: queued\n"
                + "The transcript ends (2 sessions):\n");
  }

  @Test
  void anyMessageSatisfiesShowsWhyEachMessageFailed(SmtpDouble smtp) {
    send(smtp, "one");
    CompletableFuture.runAsync(() -> send(smtp, "two"), after(300));

    assertThat(smtp).anyMessageSatisfies(m -> assertThat(m).hasSubject("two"));
    assertThatThrownBy(
            () ->
                assertThat(smtp)
                    .within(Duration.ofMillis(50))
                    .anyMessageSatisfies(m -> assertThat(m).hasSubject("three")))
        .hasMessageStartingWith(
            "Expecting "
                + where(smtp)
                + " to have received a message satisfying the given requirements\n"
                + "within 50 ms, but it received:\n"
                + "  2 messages:\n"
                + "  #1 from <a@example.test> to [b@example.test], subject \"one\", answered 250"
                + " 2.0.0 Ok: queued\n"
                + "    failed: Expecting message\n"
                + "      from <a@example.test> to [b@example.test], subject \"one\", answered 250"
                + " 2.0.0 Ok: queued\n"
                + "    to have subject:\n"
                + "      \"three\"\n"
                + "    but it was:\n"
                + "      \"one\"\n"
                + "  #2 ");
  }

  // ---- violations and rules ----

  @Test
  void hasNoViolationsNamesEachOne(SmtpDouble smtp) {
    assertThat(smtp).hasNoViolations();
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.sendRaw("EHLO client.test\n");
      wire.replyText();
      wire.command("QUIT");
    }

    assertThatThrownBy(() -> assertThat(smtp).hasNoViolations())
        .hasMessage(
            "Expecting %s to have seen no protocol violation, but the client committed 1:\n  %s",
            where(smtp), smtp.violations().get(0));
    assertThat(smtp.violations().get(0).kind()).isEqualTo(Violation.Kind.BARE_LF);
  }

  @Test
  void hasViolationWaitsForViolationsNoticedAfterTheClientLeft(SmtpDouble smtp) {
    RawClient wire = RawClient.greeted(smtp);
    wire.command("EHLO client.test");
    wire.close(); // without QUIT

    assertThat(smtp).hasViolation(Violation.Kind.CLOSED_WITHOUT_QUIT);
    assertThatThrownBy(
            () ->
                assertThat(smtp).within(Duration.ofMillis(50)).hasViolation(Violation.Kind.BARE_CR))
        .hasMessageStartingWith(
            "Expecting "
                + where(smtp)
                + " to have seen a violation of kind:\n"
                + "  BARE_CR (bare CR (RFC 5321 §2.3.8))\n"
                + "within 50 ms, but it saw:\n"
                + "  session 1, line ");
  }

  @Test
  void hasNoUnusedRulesListsThem(SmtpDouble smtp) {
    smtp.script("reply 211 to HELP", "reply 421 \"4.3.2 Try again later\" to MAIL once");
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("HELP");
    }

    assertThatThrownBy(() -> assertThat(smtp).hasNoUnusedRules())
        .hasMessage(
            "Expecting every rule of %s to have acted, but 1 never did:\n"
                + "  reply 421 \"4.3.2 Try again later\" to MAIL once",
            where(smtp));
  }

  // ---- AssertJ conventions ----

  @Test
  void aNullDoubleFailsLikeAnyAssertJAssertion() {
    assertThatThrownBy(() -> assertThat((SmtpDouble) null).hasReceived(1))
        .hasMessageContaining("Expecting actual not to be null");
  }

  @Test
  void descriptionsPrefixTheMessage(SmtpDouble smtp) {
    assertThatThrownBy(() -> assertThat(smtp).as("mail relay").within(Duration.ZERO).hasReceived(1))
        .hasMessageStartingWith("[mail relay] Expecting " + where(smtp));
  }

  @Test
  void withinRefusesANegativeTimeout(SmtpDouble smtp) {
    assertThatThrownBy(() -> assertThat(smtp).within(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout cannot be negative: PT-1S");
  }
}
