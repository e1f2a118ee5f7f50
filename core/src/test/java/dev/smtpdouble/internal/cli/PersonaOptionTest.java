package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.CliProcess;
import dev.smtpdouble.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --persona} and persona lines in {@code --script} files. */
@Timeout(60)
class PersonaOptionTest {
  @TempDir Path folder;

  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(String... args) {
    try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      return Main.run(args, out, err);
    }
  }

  @Test
  void theCommandLineAnswersAsThePersona() {
    try (CliProcess cli = CliProcess.start("--port", "0", "--persona", "gmail-submission");
        RawClient client = RawClient.connect("127.0.0.1", cli.awaitReady(), 5000)) {
      client.expect("220 smtp.gmail.com ESMTP t66sm6271302pjb.45 - gsmtp");
      assertThat(client.ehlo("client.test")).contains("250-STARTTLS", "250-SIZE 35882577");
      client
          .send("MAIL FROM:<me@gmail.test>")
          .expect("530 5.7.0 Must issue a STARTTLS command first. y129sm721561qka.33 - gsmtp");
    }
  }

  @Test
  void aScriptFileMayChooseThePersonaAndExplicitOptionsOverrideIt() throws Exception {
    Path script = folder.resolve("rules.txt");
    Files.writeString(script, "persona gmail-mx with no-such-user  # Gmail's MX\nreply 250 to RCPT <*@ok.test>\n");
    try (CliProcess cli =
            CliProcess.start("--port", "0", "--script", script.toString(), "--hostname", "mx.test");
        RawClient client = RawClient.connect("127.0.0.1", cli.awaitReady(), 5000)) {
      client.expect("220 mx.test ESMTP");
      client.ehlo("mta.test");
      client.send("MAIL FROM:<b@example.test>").expectStart("250 ");
      client.send("RCPT TO:<a@ok.test>").expectStart("250 ");
      client.send("RCPT TO:<a@gmail.test>").expectStart("550 5.1.1 The email account that you tried to reach does not exist.");
    }
  }

  @Test
  void anUnknownPersonaOrTwoPersonasExitWithStatusTwo() throws Exception {
    assertThat(run("--persona", "hotmail")).isEqualTo(2);
    assertThat(errBytes.toString(StandardCharsets.UTF_8))
        .contains("--persona \"hotmail\"")
        .contains("gmail-submission, m365-submission, ses-smtp, gmail-mx");
    errBytes.reset();
    Path script = folder.resolve("two.txt");
    Files.writeString(script, "persona ses-smtp\n");
    assertThat(run("--persona", "gmail-mx", "--script", script.toString())).isEqualTo(2);
    assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("gmail-mx was chosen already");
  }
}
