package dev.smtpdouble.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.EnhancedStatusCode;
import dev.smtpdouble.ReplyCode;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A failed test carries the transcript of every double it used, as a suppressed exception and as
 * report entries; a passing test gets neither.
 */
@Timeout(60)
class TranscriptOnFailureTest {
  static final List<SmtpDouble> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  static SmtpDouble failed;

  @Tag("fixture")
  @SmtpServer
  static class OneDoubleTestCase {
    @Test
    void failsAfterSending(SmtpDouble smtp) {
      failed = smtp;
      RawClient.sendMessage(smtp, "shop@example.test", "alice@example.test", "Welcome", "Hello Alice");
      throw new AssertionError("the mailer did something wrong");
    }

    @Test
    void passes(SmtpDouble smtp) {
      SEEN.add(smtp);
      RawClient.sendMessage(smtp, "shop@example.test", "alice@example.test", "Welcome", "Hello Alice");
    }

    @Test
    void isAborted(SmtpDouble smtp) {
      SEEN.add(smtp);
      Assumptions.assumeTrue(false, "not today");
    }
  }

  @Test
  void aFailedTestCarriesItsTranscriptAndAPassingOneNothing() {
    EngineExecutionResults results = Fixtures.run(OneDoubleTestCase.class);

    results.testEvents().assertStatistics(s -> s.started(3).succeeded(1).failed(1).aborted(1));
    assertThat(SEEN).hasSize(2).noneMatch(SmtpDouble::isRunning);
    Throwable failure = Fixtures.failure(results);
    assertThat(failure).hasMessage("the mailer did something wrong");
    assertThat(failure.getSuppressed()).hasSize(1);
    Throwable transcript = failure.getSuppressed()[0];
    assertThat(transcript).isInstanceOf(SmtpDoubleTranscript.class);
    assertThat(transcript.getStackTrace()).isEmpty();
    int port = failed.port();
    assertThat(transcript.getMessage())
        .matches(
            Pattern.compile(
                Pattern.quote(
                        "smtp-double transcript of the failed test failsAfterSending(SmtpDouble):\n"
                            + "--- parameter smtp: smtp-double at 127.0.0.1:"
                            + port
                            + ", 1 message, 1 session, 0 violations\n"
                            + "=== session 1 from 127.0.0.1:")
                    // the session may not have noticed the client leaving yet
                    + "\\d+ at \\S+ \\((client sent QUIT|open)\\)\n"
                    + Pattern.quote(
                        explained(
                        "S: 220 localhost ESMTP\n"
                            + "C: EHLO client.test\n"
                            + "S: 250-localhost\n"
                            + "S: 250-SIZE 52428800\n"
                            + "S: 250-8BITMIME\n"
                            + "S: 250-PIPELINING\n"
                            + "S: 250-SMTPUTF8\n"
                            + "S: 250-ENHANCEDSTATUSCODES\n"
                            + "S: 250-CHUNKING\n"
                            + "S: 250-BINARYMIME\n"
                            + "S: 250 DSN\n"
                            + "C: MAIL FROM:<shop@example.test>\n"
                            + "S: 250 2.1.0 Ok\n"
                            + "C: RCPT TO:<alice@example.test>\n"
                            + "S: 250 2.1.5 Ok\n"
                            + "C: DATA\n"
                            + "S: 354 End data with <CR><LF>.<CR><LF>\n"
                            + "C: From: shop@example.test\n"
                            + "C: To: alice@example.test\n"
                            + "C: Subject: Welcome\n"
                            + "C: \n"
                            + "C: Hello Alice\n"
                            + "C: .\n"
                            + "S: 250 2.0.0 Ok: queued\n"
                            + "C: QUIT\n"
                            + "S: 221 2.0.0 Bye\n"))));

    List<Map<String, String>> entries = Fixtures.reportEntries(results);
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0)).containsOnlyKeys("smtp-double parameter smtp");
    assertThat(transcript.getMessage()).endsWith(entries.get(0).get("smtp-double parameter smtp"));
  }

  /**
   * The report explains the replies that matter from the catalogue: after each line that ends a
   * reply other than a 2xx, a note with its code's summary and its enhanced code's summary.
   */
  private static String explained(String plain) {
    StringBuilder out = new StringBuilder();
    for (String line : plain.split("\n")) {
      out.append(line).append('\n');
      if (line.startsWith("S: ")
          && line.length() >= 6
          && (line.length() == 6 || line.charAt(6) == ' ')
          && line.charAt(3) != '2') {
        int code = Integer.parseInt(line.substring(3, 6));
        out.append("   # ").append(ReplyCode.of(code).summary()).append('\n');
        if (line.length() > 7) {
          EnhancedStatusCode.fromReplyText(line.substring(7))
              .ifPresent(e -> out.append("   # ").append(e.summary()).append('\n'));
        }
      }
    }
    return out.toString();
  }

  @Tag("fixture")
  @SmtpServer(script = "reply 250 \"2.1.0 Sender checked\" to MAIL\nreply 211 to HELP")
  static class ScriptedReplyTestCase {
    @Test
    void failsAfterAScriptedReply(SmtpDouble smtp) {
      failed = smtp;
      RawClient.sendMessage(smtp, "shop@example.test", "alice@example.test", "Welcome", "Hello Alice");
      throw new AssertionError("failed");
    }
  }

  @Test
  void aScriptedReplyIsExplainedThoughItIsA2xxAndRoutineRepliesAreNot() {
    EngineExecutionResults results = Fixtures.run(ScriptedReplyTestCase.class);

    String transcript = Fixtures.failure(results).getSuppressed()[0].getMessage();
    assertThat(transcript)
        .contains(
            "C: MAIL FROM:<shop@example.test>\n"
                + "S: 250 2.1.0 Sender checked\n"
                + "   # "
                + ReplyCode.of(250).summary()
                + "\n   # "
                + EnhancedStatusCode.of("2.1.0").summary()
                + "\nC: RCPT TO:<alice@example.test>\n"
                + "S: 250 2.1.5 Ok\n"
                + "C: DATA\n"
                + "S: 354 End data with <CR><LF>.<CR><LF>\n"
                + "   # "
                + ReplyCode.of(354).summary()
                + "\n",
            "S: 221 2.0.0 Bye\n")
        .doesNotContain("S: 221 2.0.0 Bye\n   #", "S: 250 2.0.0 Ok: queued\n   #");
  }

  @Tag("fixture")
  static class SeveralDoublesTestCase {
    @SmtpServer static SmtpDouble shared;

    @SmtpServer SmtpDouble field;

    @Test
    void fails(@SmtpServer(hostname = "backup.test") SmtpDouble backup) {
      SEEN.add(field);
      SEEN.add(backup);
      RawClient.sendMessage(backup, "shop@example.test", "bob@example.test", "To the backup", "Hi");
      throw new IllegalStateException("bang");
    }
  }

  @Test
  void theTranscriptCoversEveryDoubleTheTestUsed() {
    EngineExecutionResults results = Fixtures.run(SeveralDoublesTestCase.class);

    Throwable failure = Fixtures.failure(results);
    assertThat(failure).isInstanceOf(IllegalStateException.class);
    String transcript = failure.getSuppressed()[0].getMessage();
    assertThat(transcript)
        .startsWith("smtp-double transcripts of the failed test fails(SmtpDouble):\n")
        .contains(
            "--- field SeveralDoublesTestCase.field: smtp-double at 127.0.0.1:"
                + SEEN.get(0).port()
                + ", 0 messages, 0 sessions, 0 violations\n(no client connected)\n")
        .contains(
            "--- parameter backup: smtp-double at 127.0.0.1:"
                + SEEN.get(1).port()
                + ", 1 message, 1 session, 0 violations\n")
        .contains("S: 220 backup.test ESMTP\n")
        .contains("--- field SeveralDoublesTestCase.shared: ");
    assertThat(Fixtures.reportEntries(results))
        .flatExtracting(Map::keySet)
        .containsExactly(
            "smtp-double field SeveralDoublesTestCase.field",
            "smtp-double parameter backup",
            "smtp-double field SeveralDoublesTestCase.shared");
  }

  @Tag("fixture")
  @SmtpServer
  static class LongMessageTestCase {
    @Test
    void sendsALongMessage(SmtpDouble smtp) {
      SEEN.add(smtp);
      String body =
          IntStream.rangeClosed(1, 500)
              .mapToObj(i -> "line " + i)
              .collect(Collectors.joining("\n"));
      String subject = "x".repeat(400);
      RawClient.sendMessage(smtp, "shop@example.test", "alice@example.test", subject, body);
      throw new AssertionError("failed");
    }
  }

  @Test
  void longMessagesAreCutWithANoteOfWhatWasLeftOut() {
    EngineExecutionResults results = Fixtures.run(LongMessageTestCase.class);

    String transcript = Fixtures.failure(results).getSuppressed()[0].getMessage();
    // data: 3 header lines, a blank line, 500 body lines and the dot: 505 lines, 20 + 2 shown
    assertThat(transcript)
        .contains(
            "C: Subject: " + "x".repeat(288) + "... (112 more characters)\n",
            "C: line 16\n   ... 483 lines of message data left out ...\nC: line 500\nC: .\n")
        .doesNotContain("C: line 17\n");
    assertThat(Arrays.stream(transcript.split("\n")).count()).isLessThan(60);
  }
}
