package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
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
}
