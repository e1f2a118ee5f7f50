package dev.smtpdouble.internal.cli;

import dev.smtpdouble.testing.CliProcess;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3's "done when": every SPEC §4 example line, given to the command line with {@code --rule},
 * behaves as SPEC says when Python's smtplib drives it. Each case starts its own process with a
 * mailbox folder, runs an inline python3 script that prints what smtplib saw, then stops the
 * process and checks the message files and the transcript.
 */
@Timeout(60)
class PythonSpecExamplesTest {
  private static boolean python;

  private static final String PRELUDE =
      String.join(
          "\n",
          "import smtplib, socket, sys, time",
          "host, port = '127.0.0.1', int(sys.argv[1])",
          "FROM, TO = 'shop@example.test', 'alice@example.test'",
          "MSG = b'Subject: hi\\r\\n\\r\\nHello\\r\\n'",
          "def out(*parts): print(*parts, flush=True)",
          "def text(value): return value.decode() if isinstance(value, bytes) else str(value)",
          "def reply(r): out(r[0], text(r[1]))",
          "def connect(timeout=5): return smtplib.SMTP(host, port, timeout=timeout)",
          "");

  @TempDir Path folder;

  @BeforeAll
  static void findPython() {
    python = Tools.available("python3");
  }

  /** One example: the rule, what smtplib does, what it must print, and what the double keeps. */
  record Case(
      String rule, String script, List<String> printed, int messages, String transcriptShows) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Arguments> examples() {
    return Stream.of(
            new Case(
                "reply 211 to HELP",
                "s = connect(); reply(s.docmd('HELP')); s.quit()",
                List.of("211 2.0.0 System status, or system help reply"),
                0,
                "C: HELP\nS: 211 2.0.0 System status, or system help reply\n"),
            new Case(
                "reply 211 \"System status: all queues empty\" to HELP",
                "s = connect(); reply(s.docmd('HELP')); s.quit()",
                List.of("211 System status: all queues empty"),
                0,
                "S: 211 System status: all queues empty\n"),
            new Case(
                "reply 354 then 554 after DATA",
                String.join(
                    "\n",
                    "s = connect()",
                    "try:",
                    "    s.sendmail(FROM, [TO], MSG); out('sent')",
                    "except smtplib.SMTPDataError as e:",
                    "    out('SMTPDataError', e.smtp_code, text(e.smtp_error))",
                    "s.quit()"),
                List.of("SMTPDataError 554 5.0.0 Transaction failed"),
                1,
                "C: .\nS: 554 5.0.0 Transaction failed\n"),
            new Case(
                "reply 354 \"Go ahead\" then 554 \"5.7.1 Message rejected as spam\" after DATA",
                String.join(
                    "\n",
                    "s = connect(); s.ehlo(); s.mail(FROM); s.rcpt(TO)",
                    "s.putcmd('data'); reply(s.getreply())",
                    "s.send(MSG + b'.\\r\\n'); reply(s.getreply())",
                    "s.quit()"),
                List.of("354 Go ahead", "554 5.7.1 Message rejected as spam"),
                1,
                "C: .\nS: 554 5.7.1 Message rejected as spam\n"),
            new Case(
                "reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>",
                String.join(
                    "\n",
                    "s = connect()",
                    "refused = s.sendmail(FROM, ['alice@ok.test', 'Bob@Blocked.TEST'], MSG)",
                    "for rcpt, (code, msg) in refused.items(): out(rcpt, code, text(msg))",
                    "s.quit()"),
                List.of("Bob@Blocked.TEST 550 5.1.1 No such user"),
                1,
                "C: rcpt TO:<Bob@Blocked.TEST>\nS: 550 5.1.1 No such user\n"),
            new Case(
                "reply 421 \"4.3.2 Try again later\" to MAIL once",
                String.join(
                    "\n",
                    "s = connect()",
                    "try:",
                    "    s.sendmail(FROM, [TO], MSG); out('sent')",
                    "except smtplib.SMTPSenderRefused as e:",
                    "    out('SMTPSenderRefused', e.smtp_code, text(e.smtp_error))",
                    "s = connect(); s.sendmail(FROM, [TO], MSG); out('second attempt sent')",
                    "s.quit()"),
                List.of("SMTPSenderRefused 421 4.3.2 Try again later", "second attempt sent"),
                1,
                "(closed after 421)\n"),
            new Case(
                "reply 451 \"4.7.1 Greylisted\" to RCPT 2 times",
                String.join(
                    "\n",
                    "for attempt in (1, 2, 3):",
                    "    s = connect()",
                    "    try:",
                    "        s.sendmail(FROM, [TO], MSG); out('attempt', attempt, 'sent')",
                    "    except smtplib.SMTPRecipientsRefused as e:",
                    "        for rcpt, (code, msg) in e.recipients.items():",
                    "            out('attempt', attempt, 'refused', code, text(msg))",
                    "    s.quit()"),
                List.of(
                    "attempt 1 refused 451 4.7.1 Greylisted",
                    "attempt 2 refused 451 4.7.1 Greylisted",
                    "attempt 3 sent"),
                1,
                "S: 451 4.7.1 Greylisted\n"),
            new Case(
                "reply 250 \"mx.test greets you\" \"SIZE 1000\" \"PIPELINING\" to EHLO",
                String.join(
                    "\n",
                    "s = connect(); code, msg = s.ehlo(); out(code, text(msg).replace('\\n"
                        + "', ' | '))",
                    "out(sorted(s.esmtp_features.items()))",
                    "s.sendmail(FROM, [TO], b'Subject: big\\r\\n\\r\\n' + b'x' * 5000 + b'\\r\\n')",
                    "out('5000 octets sent despite SIZE 1000')",
                    "s.quit()"),
                List.of(
                    "250 mx.test greets you | SIZE 1000 | PIPELINING",
                    "[('pipelining', ''), ('size', '1000')]",
                    "5000 octets sent despite SIZE 1000"),
                1,
                "S: 250-mx.test greets you\nS: 250-SIZE 1000\nS: 250 PIPELINING\n"),
            new Case(
                "reply 554 \"5.3.2 No service here\" to CONNECT",
                String.join(
                    "\n",
                    "try:",
                    "    connect(); out('connected')",
                    "except smtplib.SMTPConnectError as e:",
                    "    out('SMTPConnectError', e.smtp_code, text(e.smtp_error))"),
                List.of("SMTPConnectError 554 5.3.2 No service here"),
                0,
                "S: 554 5.3.2 No service here\n"),
            new Case(
                "delay 2s to CONNECT",
                String.join(
                    "\n",
                    "start = time.monotonic(); s = connect(); took = time.monotonic() - start",
                    "out('greeted after 2 s' if 1.9 <= took < 4.5 else 'greeted after %.2f s' %"
                        + " took)",
                    "reply(s.noop()); s.quit()"),
                List.of("greeted after 2 s", OK),
                0,
                "* delayed 2000 ms by script\nS: 220 localhost ESMTP\n"),
            new Case(
                "delay 500ms, reply 250 to MAIL",
                String.join(
                    "\n",
                    "s = connect(); s.ehlo()",
                    "start = time.monotonic(); code, msg = s.mail(FROM); took = time.monotonic() -"
                        + " start",
                    "out(code, text(msg), 'after 500 ms' if 0.45 <= took < 3 else 'after %.2f s' %"
                        + " took)",
                    "reply(s.rcpt(TO)); reply(s.data(MSG)); s.quit()"),
                List.of(
                    "250 2.0.0 Requested mail action okay, completed after 500 ms",
                    RCPT_OK,
                    QUEUED),
                1,
                "* delayed 500 ms by script\nS: 250 2.0.0 Requested mail action okay, completed\n"),
            new Case(
                "disconnect after DATA",
                String.join(
                    "\n",
                    "s = connect()",
                    "try:",
                    "    s.sendmail(FROM, [TO], MSG); out('sent')",
                    "except smtplib.SMTPServerDisconnected as e:",
                    "    out('SMTPServerDisconnected', e)"),
                List.of("SMTPServerDisconnected Connection unexpectedly closed"),
                1,
                "C: .\n* disconnected by script\n"),
            new Case(
                "reset to RCPT on 2nd",
                String.join(
                    "\n",
                    "for attempt in (1, 2, 3):",
                    "    s = connect()",
                    "    try:",
                    "        s.sendmail(FROM, [TO], MSG); out('attempt', attempt, 'sent');"
                        + " s.quit()",
                    "    except smtplib.SMTPServerDisconnected as e:",
                    "        out('attempt', attempt, 'disconnected by',"
                        + " type(e.__context__).__name__)"),
                List.of(
                    "attempt 1 sent",
                    "attempt 2 disconnected by ConnectionResetError",
                    "attempt 3 sent"),
                2,
                "C: rcpt TO:<alice@example.test>\n* reset by script\n"),
            new Case(
                "stall to DATA",
                String.join(
                    "\n",
                    "s = connect(timeout=0.5); start = time.monotonic()",
                    "try:",
                    "    s.sendmail(FROM, [TO], MSG); out('sent')",
                    "except smtplib.SMTPServerDisconnected as e:",
                    "    took = time.monotonic() - start",
                    "    timed_out = isinstance(e.__context__, socket.timeout)",
                    "    out('gave up waiting' if timed_out and 0.45 <= took < 3 else repr(e))"),
                List.of("gave up waiting"),
                0,
                "C: data\n* stalled by script: no reply until the client or the double closes\n"),
            new Case(
                "send \"250 ok\\r\\n250 surprise\\r\\n\" to NOOP",
                "s = connect(); reply(s.noop()); reply(s.docmd('HELP')); s.close()",
                List.of("250 ok", "250 surprise"),
                0,
                "C: noop\nS: 250 ok\nS: 250 surprise\n"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void smtplibSeesWhatSpecSays(Case example) throws IOException {
    assumeTrue(python, "python3 is not installed: the smtplib run of the SPEC examples is skipped");
    Path mailbox = folder.resolve("mailbox");
    try (CliProcess cli =
        CliProcess.start(
            "--port", "0", "--mailbox", mailbox.toString(), "--rule", example.rule())) {
      int port = cli.awaitReady();

      Tools.Result result =
          Tools.python(folder, 30, PRELUDE + example.script(), String.valueOf(port));

      assertThat(result.err()).as("python's standard error").isEmpty();
      assertThat(result.status()).isZero();
      assertThat(result.out().lines()).containsExactlyElementsOf(example.printed());
      cli.terminate();
      assertThat(cli.err()).isEmpty();
    }
    try (Stream<Path> files = Files.list(mailbox)) {
      assertThat(files.filter(f -> !f.getFileName().toString().endsWith(".log")))
          .hasSize(example.messages())
          .allSatisfy(eml -> assertThat(eml.getFileName().toString()).matches("0000\\d\\d\\.eml"));
    }
    assertThat(Files.readString(mailbox.resolve("transcript.log"), StandardCharsets.UTF_8))
        .contains(example.transcriptShows());
  }
}
