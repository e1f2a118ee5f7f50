package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No false alarms: Python's smtplib and curl, used normally, commit no protocol violation (issue 6).
 */
@Timeout(60)
class CleanClientsTest {
  @TempDir Path work;

  private static void awaitSessionsEnded(SmtpDouble smtp) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                smtp.transcript().sessions().stream()
                    .allMatch(s -> s.ending() != Transcript.Ending.OPEN));
  }

  @Test
  void pythonSmtplibIsClean() {
    assumeTrue(Tools.available("python3"), "python3 is not installed");
    try (SmtpDouble smtp = SmtpDouble.start()) {
      String script =
          String.join(
              "\n",
              "import smtplib, sys",
              "from email.message import EmailMessage",
              "port = int(sys.argv[1])",
              "with smtplib.SMTP('127.0.0.1', port, local_hostname='client.test', timeout=10) as s:",
              "    s.sendmail('alice@example.test', ['bob@example.test', 'carol@example.test'],",
              "               b'Subject: plain\\r\\n\\r\\nline\\r\\n.leading dot\\r\\n')",
              "    m = EmailMessage()",
              "    m['From'] = 'jürgen@example.test'",
              "    m['To'] = 'zoë@example.test'",
              "    m['Subject'] = 'Grüße'",
              "    m.set_content('Grüße aus Köln\\n')",
              "    s.send_message(m)",
              "    s.noop()",
              "");
      Tools.Result result = Tools.python(work, 30, script, String.valueOf(smtp.port()));
      assertThat(result.status()).as(result.err()).isZero();

      List<ReceivedMessage> messages = List.of(take(smtp), take(smtp));
      assertThat(messages.get(0).rawText()).contains(".leading dot");
      assertThat(messages.get(1).smtpUtf8()).isTrue();
      assertThat(messages.get(1).subject()).isEqualTo("Grüße");
      awaitSessionsEnded(smtp);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void curlIsClean() throws Exception {
    assumeTrue(Tools.available("curl"), "curl is not installed");
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Path mail = work.resolve("mail.eml");
      Files.writeString(
          mail,
          "From: a@example.test\r\nTo: b@example.test\r\nSubject: curl\r\n\r\nline one\r\n.dot\r\n",
          StandardCharsets.US_ASCII);
      Tools.Result result =
          Tools.run(
              work,
              30,
              List.of(
                  "curl",
                  "-sS",
                  "--max-time",
                  "20",
                  "smtp://127.0.0.1:" + smtp.port() + "/client.test",
                  "--mail-from",
                  "a@example.test",
                  "--mail-rcpt",
                  "b@example.test",
                  "--upload-file",
                  mail.toString()));
      assertThat(result.status()).as(result.err()).isZero();
      assertThat(take(smtp).data()).isEqualTo(Files.readAllBytes(mail));
      awaitSessionsEnded(smtp);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  private static ReceivedMessage take(SmtpDouble smtp) {
    return smtp.takeMessage(Duration.ofSeconds(10));
  }
}
