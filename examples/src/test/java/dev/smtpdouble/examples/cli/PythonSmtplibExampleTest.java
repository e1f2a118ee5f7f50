package dev.smtpdouble.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's smtplib against the command-line double: start {@code Main --port 0 --mailbox DIR},
 * read the port from its first line, run the Python code, then check the {@code .eml} files and
 * {@code transcript.log} it wrote. Skipped where python3 is not installed (CI installs it).
 */
@Timeout(60)
class PythonSmtplibExampleTest {
  private static final Duration PYTHON = Duration.ofSeconds(20);

  @TempDir Path mailbox;

  @BeforeAll
  static void needsPython() {
    assumeTrue(
        Tool.find("python3").isPresent(),
        "python3 is not on the PATH: the smtplib examples are skipped (.ci/run installs it)");
  }

  private static String script() throws URISyntaxException {
    return Path.of(PythonSmtplibExampleTest.class.getResource("send_order.py").toURI()).toString();
  }

  @Test
  void sendsAMessage() throws Exception {
    try (CommandLineDouble smtp = CommandLineDouble.start(mailbox)) {
      Tool.Result python =
          Tool.run(PYTHON, "python3", script(), smtp.host(), String.valueOf(smtp.port()));

      assertThat(python.exitCode()).as(python.output()).isZero();
      assertThat(python.output()).contains("sent on attempt 1");
      List<Path> messages = smtp.awaitMessages(1);
      assertThat(messages).extracting(file -> file.getFileName().toString()).containsExactly("000001.eml");
      String eml = Files.readString(messages.get(0), StandardCharsets.UTF_8);
      assertThat(eml)
          .contains("From: shop@example.test\r\n")
          .contains("To: alice@example.test\r\n")
          .contains("Subject: Order 1001 confirmed\r\n")
          .contains("your order 1001 is on its way.");
      smtp.stop(); // a clean stop writes the whole transcript
      assertThat(smtp.transcript())
          .contains("C: mail FROM:<shop@example.test> size=") // smtplib sends lower-case verbs
          .contains("C: rcpt TO:<alice@example.test>")
          .contains("S: 250 2.0.0 Ok: queued")
          .contains("(client sent QUIT)");
    }
  }

  @Test
  void retriesAfterGreylisting() throws Exception {
    try (CommandLineDouble smtp =
        CommandLineDouble.start(mailbox, "--rule", "reply 451 \"4.7.1 Greylisted, try again later\" to RCPT once")) {
      Tool.Result python =
          Tool.run(PYTHON, "python3", script(), smtp.host(), String.valueOf(smtp.port()), "--retry-refused");

      assertThat(python.exitCode()).as(python.output()).isZero();
      assertThat(python.output())
          .contains("attempt 1: alice@example.test refused: 451 4.7.1 Greylisted, try again later")
          .contains("sent on attempt 2");
      assertThat(smtp.awaitMessages(1)).hasSize(1);
      smtp.stop();
      assertThat(smtp.transcript()).contains("S: 451 4.7.1 Greylisted, try again later");
    }
  }

  @Test
  void logsInOverStartTls() throws Exception {
    try (CommandLineDouble smtp =
        CommandLineDouble.start(mailbox, "--tls", "--require-tls", "--user", "alice:s3cret", "--require-auth")) {
      // With --mailbox, the CA that clients should trust is written to DIR/ca.pem.
      Tool.Result python =
          Tool.run(
              PYTHON,
              "python3",
              script(),
              smtp.host(),
              String.valueOf(smtp.port()),
              "--starttls",
              mailbox.resolve("ca.pem").toString(),
              "--login",
              "alice",
              "s3cret");

      assertThat(python.exitCode()).as(python.output()).isZero();
      assertThat(smtp.awaitMessages(1)).hasSize(1);
      smtp.stop();
      assertThat(smtp.transcript())
          .containsIgnoringCase("C: STARTTLS")
          .contains("S: 235 2.7.0 Authentication successful")
          .doesNotContain("s3cret"); // secrets are masked
    }
  }
}
