package dev.smtpdouble.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl's SMTP support against the command-line double, as a shell script in CI would use it.
 * Skipped where curl is not installed (CI installs it).
 */
@Timeout(60)
class CurlExampleTest {
  private static final Duration CURL = Duration.ofSeconds(20);

  @TempDir Path mailbox;
  @TempDir Path work;
  private Path message;

  @BeforeAll
  static void needsCurl() {
    assumeTrue(
        Tool.find("curl").isPresent(),
        "curl is not on the PATH: the curl examples are skipped (.ci/run installs it)");
  }

  @BeforeEach
  void writeTheMessage() throws Exception {
    message = work.resolve("message.txt");
    Files.writeString(
        message,
        "From: ci@example.test\nTo: ops@example.test\nSubject: Nightly build passed\n\nAll 412 tests passed.\n",
        StandardCharsets.UTF_8);
  }

  private Tool.Result curl(CommandLineDouble smtp, String... more) throws Exception {
    String[] command = {
      "curl", "--silent", "--show-error", "--max-time", "10",
      "--url", "smtp://" + smtp.host() + ":" + smtp.port(),
      "--mail-from", "ci@example.test", "--mail-rcpt", "ops@example.test",
      "--upload-file", message.toString(), "--crlf"
    };
    String[] all = new String[command.length + more.length];
    System.arraycopy(command, 0, all, 0, command.length);
    System.arraycopy(more, 0, all, command.length, more.length);
    return Tool.run(CURL, all);
  }

  @Test
  void sendsAMessage() throws Exception {
    try (CommandLineDouble smtp = CommandLineDouble.start(mailbox)) {
      Tool.Result curl = curl(smtp);

      assertThat(curl.exitCode()).as(curl.output()).isZero();
      String eml = Files.readString(smtp.awaitMessages(1).get(0), StandardCharsets.UTF_8);
      // --crlf: curl turned the file's LF line ends into CRLF, as SMTP wants.
      assertThat(eml).isEqualTo(
          "From: ci@example.test\r\nTo: ops@example.test\r\nSubject: Nightly build passed\r\n\r\nAll 412 tests passed.\r\n");
      smtp.stop(); // a clean stop writes the whole transcript
      assertThat(smtp.transcript()).contains("C: MAIL FROM:<ci@example.test>").contains("C: QUIT");
    }
  }

  @Test
  void failsWhenTheRecipientIsRefused() throws Exception {
    try (CommandLineDouble smtp =
        CommandLineDouble.start(mailbox, "--rule", "reply 550 \"5.1.1 No such user\" to RCPT")) {
      Tool.Result curl = curl(smtp);

      assertThat(curl.exitCode()).as(curl.output()).isNotZero();
      assertThat(curl.output()).contains("550");
      smtp.stop();
      assertThat(smtp.messages()).isEmpty();
      assertThat(smtp.transcript()).contains("S: 550 5.1.1 No such user");
    }
  }

  @Test
  void logsInOverStartTls() throws Exception {
    try (CommandLineDouble smtp =
        CommandLineDouble.start(mailbox, "--tls", "--require-tls", "--user", "alice:s3cret", "--require-auth")) {
      Tool.Result curl =
          curl(smtp, "--ssl-reqd", "--cacert", mailbox.resolve("ca.pem").toString(), "--user", "alice:s3cret");

      assertThat(curl.exitCode()).as(curl.output()).isZero();
      assertThat(smtp.awaitMessages(1)).hasSize(1);
      smtp.stop();
      assertThat(smtp.transcript()).contains("C: STARTTLS").contains("S: 235 2.7.0 Authentication successful");
    }
  }
}
