package dev.smtpdouble.internal.cli;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.testing.CliProcess;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a real process ({@code java -cp target/classes}): the ready line, script and
 * rule options, the mailbox folder written as things happen and complete after SIGTERM.
 */
@Timeout(120)
class MainProcessTest {
  private static final String PYTHON_MISSING =
      "python3 is not installed: the smtplib checks of the command line are skipped";
  private static final String CURL_MISSING =
      "curl is not installed: the curl smtp:// check of the command line is skipped";

  @TempDir Path folder;

  private final List<CliProcess> started = new ArrayList<>();

  private CliProcess start(String... args) {
    CliProcess cli = CliProcess.start(args);
    started.add(cli);
    return cli;
  }

  @AfterEach
  void stopEveryProcess() {
    started.forEach(CliProcess::close);
  }

  private static RawClient connect(int port) {
    RawClient client = RawClient.connect("127.0.0.1", port, 5000);
    client.expect(GREETING);
    return client;
  }

  private Path mailbox() {
    return folder.resolve("mailbox");
  }


  /** Waits (at most 5 s) for a file to exist. */
  private static void awaitFile(Path file) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " was never written");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String message(String subject, String body) {
    return "From: a@example.test\r\nTo: b@example.test\r\nSubject: " + subject + "\r\n\r\n" + body;
  }

  private static void sendMessage(RawClient client, String data) {
    client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
    client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
    client.send("DATA").expectStart("354 ");
    StringBuilder stuffed = new StringBuilder();
    for (String line : data.split("\r\n", -1)) {
      stuffed.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
    }
    // data ends with CRLF, so the split leaves an empty last element: that CRLF is the dot's
    stuffed.setLength(stuffed.length() - 2);
    client.sendRaw(stuffed.append(".\r\n").toString());
    client.expect(QUEUED);
  }

  @Test
  void printsTheReadyLineWithTheFreePortItWasGiven() {
    CliProcess cli = start("--port", "0");

    String ready = cli.readyLine();
    int port = cli.awaitReady();

    assertThat(ready).isEqualTo("smtp-double listening on 127.0.0.1:" + port);
    assertThat(port).isPositive();
    try (RawClient client = connect(port)) {
      client.send("QUIT").expect(BYE);
    }
    long start = System.nanoTime();
    int status = cli.terminate();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
    // 143 is 128 + SIGTERM: the JVM ran its shutdown hooks and exited as signalled
    assertThat(status).isIn(0, 143);
    assertThat(cli.out()).endsWith("smtp-double stopped\n");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void aMalformedRuleMakesTheProcessExitWithStatusTwo() {
    CliProcess cli = start("--port", "0", "--rule", "reply 35 to HELP");

    assertThat(cli.awaitExit(10_000)).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("smtp-double: --rule \"reply 35 to HELP\": line 1, column 7: ")
        .contains("  reply 35 to HELP\n        ^\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void theScriptFilesRulesComeFirstThenTheRuleOptionsInOrder() throws IOException {
    Path script = folder.resolve("rules.txt");
    Files.writeString(
        script,
        "reply 211 \"from the script\" to HELP  # older than every --rule\n"
            + "reply 252 \"from the script\" to VRFY\n");
    CliProcess cli =
        start(
            "--port",
            "0",
            "--rule",
            "reply 211 \"first --rule\" to HELP",
            "--script",
            script.toString(),
            "--rule",
            "reply 211 \"second --rule\" to HELP once");
    int port = cli.awaitReady();

    try (RawClient client = connect(port)) {
      client.send("HELP").expect("211 second --rule");
      client.send("HELP").expect("211 first --rule");
      client.send("VRFY bob").expect("252 from the script");
    }
  }

  @Test
  void aScriptFileSavedOnWindowsWithAByteOrderMarkAndCrlfWorks() throws IOException {
    Path script = folder.resolve("rules.txt");
    Files.write(
        script,
        "\uFEFFreply 211 \"from Notepad\" to HELP\r\n# greylisting\r\nreply 451 to RCPT once\r\n"
            .getBytes(StandardCharsets.UTF_8));
    CliProcess cli = start("--port", "0", "--script", script.toString());
    int port = cli.awaitReady();

    try (RawClient client = connect(port)) {
      client.send("HELP").expect("211 from Notepad");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expectStart("451 ");
    }
  }

  @Test
  void theMailboxHoldsWhatPythonSmtplibSentByteForByte() throws Exception {
    assumeTrue(Tools.available("python3"), PYTHON_MISSING);
    CliProcess cli = start("--port", "0", "--mailbox", mailbox().toString());
    int port = cli.awaitReady();
    String first = message("one", ".leading dot\r\n..two dots\r\n.\r\nend\r\n");
    String second = message("zwei", "Grüße, 8-bit\r\n");

    Tools.Result python =
        Tools.python(
            folder,
            30,
            String.join(
                "\n",
                "import smtplib, sys",
                "s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=10)",
                "s.sendmail('a@example.test', ['b@example.test'], sys.argv[2].encode('utf-8'))",
                "s.sendmail('a@example.test', ['b@example.test'], sys.argv[3].encode('utf-8'),",
                "           mail_options=['BODY=8BITMIME'])",
                "s.quit()",
                "print('sent')"),
            String.valueOf(port),
            first,
            second);

    assertThat(python.err()).isEmpty();
    assertThat(python.out()).isEqualTo("sent\n");
    awaitFile(mailbox().resolve("000002.eml"));
    assertThat(mailbox().resolve("000001.eml"))
        .hasBinaryContent(first.getBytes(StandardCharsets.UTF_8));
    assertThat(mailbox().resolve("000002.eml"))
        .hasBinaryContent(second.getBytes(StandardCharsets.UTF_8));
    cli.terminate();
    assertThat(names(mailbox()))
        .containsExactly("000001.eml", "000002.eml", "transcript.log", "violations.log");
  }

  @Test
  void theMailboxHoldsWhatCurlUploadedByteForByte() throws Exception {
    assumeTrue(Tools.available("curl"), CURL_MISSING);
    CliProcess cli = start("--port", "0", "--mailbox", mailbox().toString());
    int port = cli.awaitReady();
    String data = message("curl", ".dot line\r\nbody\r\n");
    Path upload = Files.writeString(folder.resolve("upload.eml"), data);

    Tools.Result curl =
        Tools.run(
            folder,
            30,
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "20",
                "smtp://127.0.0.1:" + port,
                "--mail-from",
                "a@example.test",
                "--mail-rcpt",
                "b@example.test",
                "--upload-file",
                upload.toString()));

    assertThat(curl.status()).as(curl.err()).isZero();
    awaitFile(mailbox().resolve("000001.eml"));
    assertThat(mailbox().resolve("000001.eml"))
        .hasBinaryContent(data.getBytes(StandardCharsets.UTF_8));
    assertThat(Tools.awaitContent(mailbox().resolve("transcript.log"), "C: ..dot line"))
        .contains("C: MAIL FROM:<a@example.test>");
  }

  private static final String INTERLEAVED_RULE = "delay 10ms, reply 252 \"maybe\" to VRFY";

  /**
   * Two interleaved sessions, one with a message, a scripted delay and a violation (a bare LF): the
   * same against the CLI and in-process. {@code midway} runs after each has said something.
   */
  private static void twoInterleavedSessions(int port, Runnable midway) {
    try (RawClient a = connect(port)) {
      a.ehlo("a.test");
      try (RawClient b = connect(port)) {
        b.send("HELO b.test").expect(HELO_OK);
        a.send("NOOP").expect(OK);
        midway.run();
        b.send("NOOP").expect(OK);
        sendMessage(a, message("interleaved", ".dot\r\nline\r\n"));
        a.send("QUIT").expect(BYE);
        assertThat(a.awaitEnd(2000)).isEqualTo("EOF");
        b.sendRaw("VRFY bob\n").expect("252 maybe");
        b.send("QUIT").expect(BYE);
        assertThat(b.awaitEnd(2000)).isEqualTo("EOF");
      }
    }
  }

  private static String normalized(String transcript) {
    return transcript.replaceAll(
        "(?m)^(=== session \\d+ from 127\\.0\\.0\\.1:)\\d+ at \\S+ ", "$1PORT at TIME ");
  }

  @Test
  void theTranscriptIsWrittenAsItHappensAndRewrittenAsTheTranscriptRendersOnStop()
      throws Exception {
    CliProcess cli =
        start("--port", "0", "--mailbox", mailbox().toString(), "--rule", INTERLEAVED_RULE);
    int port = cli.awaitReady();
    Path log = mailbox().resolve("transcript.log");

    try (RawClient early = connect(port)) {
      early.send("EHLO early.test").readReply();
      // written as it happens: the line is in the file while the session is still open
      assertThat(Tools.awaitContent(log, "C: EHLO early.test"))
          .startsWith("=== session 1 from 127.0.0.1:")
          .contains("S: 220 localhost ESMTP\nC: EHLO early.test\nS: 250-localhost\n");
      early.send("QUIT").expect(BYE);
      assertThat(early.awaitEnd(2000)).isEqualTo("EOF");
    }
    // the file gets each session's new lines together at each write (every 100 ms, or at a
    // session's end): once both sessions' first lines are in, their next lines are a new turn
    twoInterleavedSessions(port, () -> Tools.awaitContent(log, "S: 250 2.0.0 Ok"));
    String live = Tools.awaitContent(log, "S: 252 maybe");
    assertThat(live).contains("=== session 3 (continued)");

    cli.terminate();
    String written = Files.readString(log, StandardCharsets.UTF_8);

    String expected;
    try (SmtpDouble replay = SmtpDouble.builder().script(INTERLEAVED_RULE).start()) {
      try (RawClient early = connect(replay.port())) {
        early.send("EHLO early.test").readReply();
        early.send("QUIT").expect(BYE);
        assertThat(early.awaitEnd(2000)).isEqualTo("EOF");
      }
      twoInterleavedSessions(replay.port(), () -> {});
      awaitEnded(replay, 3);
      expected = replay.transcript().toString();
    }
    assertThat(normalized(written)).isEqualTo(normalized(expected));
    assertThat(written)
        .contains("C: VRFY bob\n! bare LF")
        .contains("* delayed 10 ms by script\nS: 252 maybe\n")
        .doesNotContain("(continued)")
        .doesNotContain("(open)");
    assertThat(written.lines().filter(line -> line.startsWith("=== session ")))
        .hasSize(3)
        .allSatisfy(header -> assertThat(header).endsWith(" (client sent QUIT)"));
  }

  private static void awaitEnded(SmtpDouble smtp, int sessions) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      List<Transcript.Session> all = smtp.transcript().sessions();
      if (all.size() == sessions
          && all.stream().noneMatch(s -> s.ending() == Transcript.Ending.OPEN)) {
        return;
      }
      assertThat(System.nanoTime()).as("sessions ended in time").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void sigtermStopsCleanlyWithEveryMessageFileComplete() throws Exception {
    CliProcess cli = start("--port", "0", "--mailbox", mailbox().toString());
    int port = cli.awaitReady();
    List<String> sent = new ArrayList<>();
    try (RawClient client = connect(port)) {
      client.send("EHLO client.test").readReply();
      for (int i = 1; i <= 20; i++) {
        String data = message("number " + i, ("line " + i + " of a long body\r\n").repeat(4000));
        sendMessage(client, data);
        sent.add(data);
      }
      long start = System.nanoTime();
      cli.terminate();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
    }

    assertThat(cli.out()).contains("received 000020.eml").endsWith("smtp-double stopped\n");
    List<String> expectedNames = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String name = String.format("%06d.eml", i);
      expectedNames.add(name);
      assertThat(mailbox().resolve(name))
          .hasBinaryContent(sent.get(i - 1).getBytes(StandardCharsets.UTF_8));
    }
    expectedNames.add("transcript.log");
    expectedNames.add("violations.log");
    assertThat(names(mailbox())).containsExactlyElementsOf(expectedNames);
    assertThat(Files.readString(mailbox().resolve("transcript.log")))
        .contains("C: Subject: number 20\n");
  }

  /**
   * Whether a process ignores SIGINT: a background job of a non-interactive shell (Maven started
   * with {@code &}) starts with SIGINT ignored, its children inherit that, and the JVM then leaves
   * SIGINT alone. Linux only ({@code /proc}); false elsewhere.
   */
  private static boolean ignoresSigint(long pid) throws IOException {
    Path status = Path.of("/proc", String.valueOf(pid), "status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & 0x2) != 0;
      }
    }
    return false;
  }

  @Test
  void sigintStopsCleanlyToo() throws Exception {
    CliProcess cli = start("--port", "0", "--mailbox", mailbox().toString());
    int port = cli.awaitReady();
    assumeFalse(
        ignoresSigint(cli.pid()),
        "the command line was started with SIGINT ignored (Maven runs as a background job), so"
            + " SIGINT cannot stop it here; SIGTERM is tested by the other tests");
    String data = message("interrupted", "body\r\n");
    try (RawClient client = connect(port)) {
      client.send("EHLO client.test").readReply();
      sendMessage(client, data);
      client.send("QUIT").expect(BYE);
    }

    Tools.Result kill = Tools.run(folder, 10, List.of("kill", "-INT", String.valueOf(cli.pid())));
    assertThat(kill.status()).isZero();
    assertThat(cli.awaitExit(10_000)).isIn(0, 130);

    assertThat(cli.out()).endsWith("smtp-double stopped\n");
    assertThat(mailbox().resolve("000001.eml"))
        .hasBinaryContent(data.getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(mailbox().resolve("transcript.log")))
        .startsWith("=== session 1 from 127.0.0.1:")
        .contains(" (client sent QUIT)\n");
  }

  @Test
  void sigtermEndsAStalledSessionAtOnce() throws Exception {
    CliProcess cli =
        start("--port", "0", "--mailbox", mailbox().toString(), "--rule", "stall to DATA");
    int port = cli.awaitReady();
    try (RawClient client = connect(port)) {
      client.send("HELO client.test").expect(HELO_OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA");
      Tools.awaitContent(mailbox().resolve("transcript.log"), "* stalled by script");

      long start = System.nanoTime();
      cli.terminate();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    }
    assertThat(Files.readString(mailbox().resolve("transcript.log")))
        .contains(" (double closed)\n")
        .endsWith("C: DATA\n* stalled by script: no reply until the client or the double closes\n");
  }

  @Test
  void aBodyCutOffMidDataIsNeverWrittenAsAMessageFile() throws Exception {
    CliProcess cli = start("--port", "0", "--mailbox", mailbox().toString());
    int port = cli.awaitReady();
    Path log = mailbox().resolve("transcript.log");

    try (RawClient gone = connect(port)) {
      gone.send("HELO gone.test").expect(HELO_OK);
      gone.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      gone.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      gone.send("DATA").expectStart("354 ");
      gone.sendRaw(message("cut", "half a bo"));
    }
    Tools.awaitContent(log, "* message data incomplete");
    assertThat(names(mailbox())).containsExactly("transcript.log", "violations.log");

    try (RawClient stopped = connect(port)) {
      stopped.send("HELO stopped.test").expect(HELO_OK);
      stopped.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      stopped.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      stopped.send("DATA").expectStart("354 ");
      stopped.sendRaw(message("stopped", "the process goes away during this li"));
      Tools.awaitContent(log, "C: HELO stopped.test");
      cli.terminate();
    }

    assertThat(names(mailbox())).containsExactly("transcript.log", "violations.log");
    assertThat(cli.out()).doesNotContain("received");
  }

  @Test
  void listeningOnEveryAddressPrintsAWarning() {
    CliProcess cli = start("--host", "0.0.0.0", "--port", "0");
    cli.awaitReady();
    cli.terminate();

    assertThat(cli.err())
        .startsWith("smtp-double: warning: listening on 0.0.0.0, which other machines may reach");
  }

  @Test
  void listeningOnLoopbackPrintsNoWarning() {
    CliProcess cli = start("--host", "127.0.0.1", "--port", "0");
    cli.awaitReady();
    cli.terminate();

    assertThat(cli.err()).isEmpty();
  }
}
