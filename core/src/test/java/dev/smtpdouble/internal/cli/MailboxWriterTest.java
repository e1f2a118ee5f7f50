package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mailbox folder's writer on its own: it refuses a folder from an earlier run, leaves nothing
 * behind when it cannot start, and never leaves a temporary {@code .part} file when a message
 * cannot be written.
 */
@Timeout(30)
class MailboxWriterTest {
  @TempDir Path folder;

  private final PrintStream console =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static boolean writerThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("smtp-double-writer-") && t.isAlive());
  }

  private static ReceivedMessage oneMessage() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expectStart("220 ");
      client.send("HELO client.test").expectStart("250 ");
      client.send("MAIL FROM:<a@example.test>").expectStart("250 ");
      client.send("RCPT TO:<b@example.test>").expectStart("250 ");
      client.send("DATA").expectStart("354 ");
      client.sendRaw("Subject: x\r\n\r\n" + "body line\r\n".repeat(2000) + ".\r\n").expectStart("250 ");
      return smtp.takeMessage(Duration.ofSeconds(5));
    }
  }

  @Test
  void aFolderFromAnEarlierRunIsRefusedAndLeftAsItWas() throws IOException {
    Path box = folder.resolve("box");
    Files.createDirectories(box);
    Files.writeString(box.resolve("000001.eml"), "old");
    Files.writeString(box.resolve("000002.eml"), "old");
    Files.writeString(box.resolve("transcript.log"), "old");
    Files.writeString(box.resolve("violations.log"), "old");

    assertThatThrownBy(() -> new MailboxWriter(box, console))
        .isInstanceOf(MailboxWriter.NotEmpty.class)
        .hasMessage(
            "the folder is not empty (it holds 000001.eml, 000002.eml, transcript.log and 1 more):"
                + " give a new or empty folder; the double neither overwrites nor mixes runs");
    assertThat(names(box))
        .containsExactly("000001.eml", "000002.eml", "transcript.log", "violations.log");
    assertThat(Files.readString(box.resolve("transcript.log"))).isEqualTo("old");
  }

  @Test
  void whenTheSecondFileCannotOpenTheFirstIsClosedAndRemoved() throws IOException {
    Path box = folder.resolve("box");

    assertThatThrownBy(() -> new MailboxWriter(box, console, "missing/violations.log"))
        .isInstanceOf(FileNotFoundException.class);
    assertThat(writerThreadAlive()).as("a writer thread left running").isFalse();
    assertThat(names(box)).as("files left in the folder").isEmpty();
  }

  @Test
  void aFailedRenameLeavesNoPartFile() throws IOException {
    ReceivedMessage message = oneMessage();
    Path temporary = folder.resolve(".000001.eml.part");
    Path target = folder.resolve("000001.eml");
    Files.createDirectories(target.resolve("in-the-way")); // a non-empty folder cannot be replaced

    assertThatThrownBy(() -> MailboxWriter.write(message, temporary, target))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot write " + target);
    assertThat(names(folder)).containsExactly("000001.eml");
  }

  @Test
  void aWriteErrorLeavesNoPartFile() throws IOException {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.exists(full), "/dev/full (a device whose writes fail) exists on Linux only");
    ReceivedMessage message = oneMessage();
    Path temporary = folder.resolve(".000001.eml.part");
    Files.createSymbolicLink(temporary, full); // writing through it fails: no space left

    assertThatThrownBy(() -> MailboxWriter.write(message, temporary, folder.resolve("000001.eml")))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("No space left on device");
    assertThat(names(folder)).isEmpty();
  }

  @Test
  void aMessageIsWrittenWholeUnderItsNumber() throws IOException {
    ReceivedMessage message = oneMessage();
    Path target = folder.resolve("000001.eml");

    MailboxWriter.write(message, folder.resolve(".000001.eml.part"), target);

    assertThat(target).hasBinaryContent(message.data());
    assertThat(names(folder)).containsExactly("000001.eml");
  }

  /**
   * A message's data lines reach transcript.log gathered by session (in pieces of about 64 KiB for
   * a large one, other sessions' turns between them) but in their place among the session's
   * lines: all of them after its 354 and before the reply to the message; and the stop's
   * regrouping gives exactly the in-process transcript.
   */
  @Test
  void dataLinesAreGatheredBySessionYetStayInTheirPlace() throws Exception {
    Path box = folder.resolve("box");
    MailboxWriter writer = new MailboxWriter(box, console);
    String body = "line of the large message, number xxxxx\r\n".repeat(5000); // ~200 KiB
    String expected;
    try (SmtpDouble smtp = SmtpDouble.builder().listener(writer).start();
        RawClient large = RawClient.connect(smtp);
        RawClient other = RawClient.connect(smtp)) {
      large.expectStart("220 ");
      other.expectStart("220 ");
      large.send("HELO large.test").expectStart("250 ");
      other.send("HELO other.test").expectStart("250 ");
      large.send("MAIL FROM:<a@example.test>").expectStart("250 ");
      large.send("RCPT TO:<b@example.test>").expectStart("250 ");
      large.send("DATA").expectStart("354 ");
      large.sendRaw("Subject: large\r\n\r\n" + body + ".\r\n").expectStart("250 ");
      other.send("NOOP").expectStart("250 ");
      expected = quitAndRender(smtp, large, other);
    }
    writer.close();
    String live = Files.readString(box.resolve("transcript.log"), StandardCharsets.UTF_8);
    String large = sessionLines(live, 1);
    int dataStart = large.indexOf("C: Subject: large\n");
    int reply = large.indexOf("\nS: ", dataStart); // the session's next server line: the reply
    assertThat(large.indexOf("S: 354 ")).isBetween(0, dataStart);
    assertThat(large.substring(reply + 1)).startsWith("S: 250 ");
    assertThat(large.lastIndexOf("C: line of the large message")).isBetween(dataStart, reply);
    assertThat(large.substring(dataStart, reply).lines().filter(l -> l.startsWith("C: line of")))
        .hasSize(5000);

    writer.finish();
    assertThat(Files.readString(box.resolve("transcript.log"), StandardCharsets.UTF_8))
        .isEqualTo(expected);
  }

  /**
   * Each client quits in turn; once every session has ended, the in-process transcript's
   * rendering, which the regrouped transcript.log must equal.
   */
  private static String quitAndRender(SmtpDouble smtp, RawClient... clients)
      throws InterruptedException {
    for (RawClient client : clients) {
      client.send("QUIT").expectStart("221 ");
    }
    for (RawClient client : clients) {
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (smtp.transcript().sessions().stream().anyMatch(t -> t.ending() == Transcript.Ending.OPEN)
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return smtp.transcript().toString();
  }

  /** One session's lines in the live file, its turns joined (the lines after its marks). */
  private static String sessionLines(String live, int session) {
    StringBuilder lines = new StringBuilder();
    boolean mine = false;
    for (String line : live.split("\n", -1)) {
      if (line.startsWith(TranscriptRegroup.PREFIX)) {
        mine = line.startsWith(TranscriptRegroup.PREFIX + session + " ");
      } else if (mine) {
        lines.append(line).append('\n');
      }
    }
    return lines.toString();
  }

  /**
   * A session's lines are kept by session and handed to the file before each write, so a session
   * that waits for its client still shows its last reply in transcript.log, within the writer's
   * interval, long before it ends.
   */
  @Test
  void aWaitingSessionsLastReplyReachesTheFileBeforeTheSessionEnds() throws Exception {
    Path box = folder.resolve("box");
    MailboxWriter writer = new MailboxWriter(box, console);
    try (SmtpDouble smtp = SmtpDouble.builder().listener(writer).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expectStart("220 ");
      client.send("HELO waiting.test").expectStart("250 ");
      Path log = box.resolve("transcript.log");
      long deadline = System.nanoTime() + 5_000_000_000L;
      String live = "";
      while (!live.contains("S: 250 ") && System.nanoTime() < deadline) {
        Thread.sleep(10);
        live = Files.readString(log, StandardCharsets.UTF_8);
      }
      assertThat(live).contains("C: HELO waiting.test\nS: 250 ").doesNotContain(" ended (");
      client.send("QUIT").expectStart("221 ");
    } finally {
      writer.close();
    }
  }

  /**
   * Lines the writer cannot copy as they are (a backslash, a bare CR, bytes that are not UTF-8,
   * a dot-stuffed line) and a data line longer than a session's text (200 KiB without a line
   * break, opening a new turn after another session's lines) come out of the stop's regrouping
   * exactly as the in-process transcript renders them.
   */
  @Test
  void escapedLinesAndAVeryLongLineAreRenderedAsTheTranscriptRendersThem() throws Exception {
    Path box = folder.resolve("box");
    MailboxWriter writer = new MailboxWriter(box, console);
    String expected;
    try (SmtpDouble smtp = SmtpDouble.builder().listener(writer).start();
        RawClient client = RawClient.connect(smtp);
        RawClient other = RawClient.connect(smtp)) {
      client.expectStart("220 ");
      other.expectStart("220 ");
      client.send("HELO back\\slash.test").expectStart("250 ");
      client.send("MAIL FROM:<a@example.test>").expectStart("250 ");
      client.send("RCPT TO:<b@example.test>").expectStart("250 ");
      client.send("DATA").expectStart("354 ");
      client.sendRaw("Subject: odd\r\n\r\n..stuffed\r\nbare\rCR\r\nzo\u00eb \\ done\r\n");
      client.sendRaw(new byte[] {'8', '-', 'b', 'i', 't', ' ', (byte) 0xFF, (byte) 0xC3, '\r', '\n'});
      client.sendRaw(".\r\n").expectStart("250 ");
      client.send("MAIL FROM:<a@example.test>").expectStart("250 ");
      client.send("RCPT TO:<b@example.test>").expectStart("250 ");
      client.send("DATA").expectStart("354 ");
      // the writer takes this session's lines, then the other's: the long line opens a new turn
      Thread.sleep(3 * LiveFile.INTERVAL_MILLIS);
      other.send("NOOP").expectStart("250 ");
      Thread.sleep(3 * LiveFile.INTERVAL_MILLIS);
      client.sendRaw("y".repeat(200 * 1024) + "\r\nend\r\n.\r\n").expectStart("250 ");
      expected = quitAndRender(smtp, other, client);
    }
    writer.finish();
    assertThat(expected).contains("C: ..stuffed\n", "bare\\rCR", "8-bit \\xFF\\xC3\n", "\\\\ done");
    assertThat(Files.readString(box.resolve("transcript.log"), StandardCharsets.UTF_8))
        .isEqualTo(expected);
  }
}
