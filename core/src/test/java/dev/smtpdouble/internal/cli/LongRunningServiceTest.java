package dev.smtpdouble.internal.cli;

import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.CliProcess;
import dev.smtpdouble.testing.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line run as a service for hours: every message file exists, whole, by the time the
 * client reads the 250 answering it; what it wrote down it does not keep in memory; transcript.log
 * tells how a session ended as soon as it has.
 */
@Timeout(180)
class LongRunningServiceTest {
  @TempDir Path folder;

  private Path mailbox() {
    return folder.resolve("mailbox");
  }

  private static RawClient connect(int port) {
    RawClient client = RawClient.connect("127.0.0.1", port, 10_000);
    client.expect(GREETING);
    return client;
  }

  private static byte[] body(int number, int octets) {
    StringBuilder text = new StringBuilder("Subject: number " + number + "\r\n\r\n");
    String line = "x".repeat(76) + "\r\n";
    while (text.length() + line.length() <= octets) {
      text.append(line);
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The command-line twin of the race test: on one kept-open connection, right after reading each
   * 250, the message's file exists under its final name and is complete.
   */
  @Test
  void eachMessageFileIsCompleteWhenTheClientReadsItsReply() throws IOException {
    int count = 1000;
    try (CliProcess cli = CliProcess.start("--port", "0", "--mailbox", mailbox().toString());
        RawClient client = connect(cli.awaitReady())) {
      client.send("EHLO client.test").readReply();
      List<String> misses = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        byte[] data = body(i, 2000);
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.send("DATA").expectStart("354 ");
        client.sendRaw(data).sendRaw(".\r\n").expect(QUEUED);
        Path file = mailbox().resolve(String.format(Locale.ROOT, "%06d.eml", i));
        if (!Files.exists(file)) {
          misses.add(file.getFileName() + " missing");
        } else if (Files.size(file) != data.length) {
          misses.add(file.getFileName() + " has " + Files.size(file) + " of " + data.length + " octets");
        }
      }
      client.send("QUIT").expect(BYE);
      assertThat(misses).as("files not there, whole, when the 250 was read").isEmpty();
    }
  }

  /**
   * 200 MiB of messages through a process whose heap is 32 MiB: it keeps nothing it has written,
   * so it neither runs out of memory nor slows to a crawl. Before it kept every message, and the
   * heap ran out after about 30 MiB.
   */
  @Test
  void aHeapOf32MiBCarriesFarMoreMailThanItHolds() throws IOException {
    int count = 200;
    byte[] data = body(0, 1024 * 1024);
    try (CliProcess cli =
        CliProcess.startWithJvmOptions(
            List.of("-Xmx32m", "-XX:+UseSerialGC"),
            "--port", "0", "--mailbox", mailbox().toString())) {
      int port = cli.awaitReady();
      try (RawClient client = connect(port)) {
        client.send("EHLO client.test").readReply();
        for (int i = 1; i <= count; i++) {
          client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
          client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
          client.send("DATA").expectStart("354 ");
          client.sendRaw(data).sendRaw(".\r\n").expect(QUEUED);
        }
        client.send("QUIT").expect(BYE);
      }
      assertThat(cli.terminate(60_000)).isIn(0, 143);
      assertThat(cli.err()).as("standard error").isEmpty();
      assertThat(cli.outTail()).endsWith("smtp-double stopped\n");
    }
    assertThat(mailbox().resolve(String.format(Locale.ROOT, "%06d.eml", count))).hasSize(data.length);
  }

  @Test
  void transcriptLogTellsHowASessionEndedAsSoonAsItHas() throws IOException {
    try (CliProcess cli = CliProcess.start("--port", "0", "--mailbox", mailbox().toString())) {
      int port = cli.awaitReady();
      Path log = mailbox().resolve("transcript.log");
      try (RawClient open = connect(port)) {
        open.send("HELO open.test").expect(HELO_OK);
        try (RawClient done = connect(port)) {
          done.send("QUIT").expect(BYE);
          done.awaitEnd(2000);
        }
        assertThat(Tools.awaitContent(log, "=== session 2 ended"))
            .contains("=== session 2 ended (client sent QUIT)\n")
            .doesNotContain("=== session 1 ended");
        open.sendRaw("NOOP\r\n").expect(OK);
      }
      assertThat(Tools.awaitContent(log, "=== session 1 ended"))
          .contains("=== session 1 ended (client closed the connection without QUIT)\n");

      cli.terminate();
    }
    String written = Files.readString(mailbox().resolve("transcript.log"), StandardCharsets.UTF_8);
    assertThat(written)
        .doesNotContain(" ended (")
        .contains(" (client closed the connection without QUIT)\nS: 220 localhost ESMTP\nC: HELO open.test\n")
        .contains(" (client sent QUIT)\nS: 220 localhost ESMTP\nC: QUIT\nS: 221 2.0.0 Bye\n");
  }
}
