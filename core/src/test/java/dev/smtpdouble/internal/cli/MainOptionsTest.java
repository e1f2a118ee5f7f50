package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's options, run in-process through {@link Main#run}: every mistake exits with
 * status 2 and a message naming it on standard error; {@code --help} lists every option.
 */
@Timeout(20)
class MainOptionsTest {
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  @TempDir Path folder;

  private int run(String... args) {
    try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      return Main.run(args, out, err);
    }
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  @Test
  void helpListsEveryOptionAndExitsZero() {
    assertThat(run("--help")).isZero();

    assertThat(out())
        .startsWith("Usage: java -jar smtp-double-core.jar [options]\n")
        .contains("--port N", "--host ADDR", "--script FILE", "--rule \"RULE\"", "--mailbox DIR")
        .contains("--hostname NAME", "--size-limit N", "--idle-timeout SECS", "--help")
        .contains("explain CODE...")
        .contains("smtp-double listening on HOST:PORT");
    assertThat(err()).isEmpty();
  }

  @Test
  void helpWinsOverTheOtherOptions() {
    assertThat(run("--port", "0", "--help", "--rule", "reply 211 to HELP")).isZero();
    assertThat(out()).contains("--mailbox DIR");
  }

  @Test
  void anUnknownOptionIsNamed() {
    assertThat(run("--port", "0", "--verbose")).isEqualTo(2);

    assertThat(err())
        .isEqualTo("smtp-double: unknown option --verbose\nRun with --help for the options.\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void aStrayArgumentIsNamed() {
    assertThat(run("2525")).isEqualTo(2);
    assertThat(err()).contains("unexpected argument \"2525\"");
  }

  @Test
  void anOptionWithoutItsValueIsNamed() {
    assertThat(run("--port")).isEqualTo(2);
    assertThat(err()).startsWith("smtp-double: --port needs a value\n");

    errBytes.reset();
    assertThat(run("--port", "0", "--rule")).isEqualTo(2);
    assertThat(err()).startsWith("smtp-double: --rule needs a value\n");
  }

  @Test
  void aBadPortIsNamed() {
    assertThat(run("--port", "65536")).isEqualTo(2);
    assertThat(err()).startsWith("smtp-double: --port must be 0 to 65535, but was 65536\n");

    errBytes.reset();
    assertThat(run("--port=twenty-five")).isEqualTo(2);
    assertThat(err())
        .startsWith("smtp-double: --port needs a whole number, but was \"twenty-five\"\n");

    errBytes.reset();
    assertThat(run("--port", "-1")).isEqualTo(2);
    assertThat(err()).contains("--port must be 0 to 65535, but was -1");
  }

  @Test
  void aPortInUseIsReported() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();

      assertThat(run("--port", String.valueOf(port))).isEqualTo(2);

      assertThat(err()).startsWith("smtp-double: cannot listen on 127.0.0.1:" + port + ": ");
      assertThat(out()).doesNotContain("listening");
    }
  }

  @Test
  void aMailboxThatIsNotAFolderIsNamed() throws IOException {
    Path file = Files.writeString(folder.resolve("mailbox"), "a file, not a folder");

    assertThat(run("--port", "0", "--mailbox", file.toString())).isEqualTo(2);

    assertThat(err()).startsWith("smtp-double: --mailbox " + file + ": ").contains("not a folder");
    assertThat(out()).doesNotContain("listening");
  }

  @Test
  void aMalformedRuleShowsTheParsersMessageAndQuotesTheRule() {
    String rule = "reply 35 to HELP";
    ScriptException parser = catchThrowableOfType(ScriptException.class, () -> Rule.parse(rule));

    assertThat(run("--port", "0", "--rule", "reply 211 to HELP", "--rule", rule)).isEqualTo(2);

    assertThat(parser.getMessage())
        .contains("line 1, column 7")
        .contains("\n  reply 35 to HELP\n        ^");
    assertThat(err())
        .startsWith("smtp-double: --rule \"reply 35 to HELP\": " + parser.getMessage() + "\n")
        .contains("Run with --help for the options.");
    assertThat(out()).isEmpty();
  }

  @Test
  void aRuleWithTwoRulesInItIsRefused() {
    assertThat(run("--rule", "reply 211 to HELP\nreply 214 to HELP")).isEqualTo(2);
    assertThat(err()).contains("--rule \"reply 211 to HELP");
  }

  @Test
  void aMissingScriptFileIsNamed() {
    Path missing = folder.resolve("no-such-rules.txt");

    assertThat(run("--port", "0", "--script", missing.toString())).isEqualTo(2);

    assertThat(err()).startsWith("smtp-double: --script " + missing + ": no such file\n");
  }

  @Test
  void aBadLineInTheScriptFileIsNamedWithItsFileAndLine() throws IOException {
    Path script = folder.resolve("rules.txt");
    Files.writeString(
        script,
        "# greylist, then reject\n"
            + "reply 451 \"4.7.1 Greylisted\" to RCPT 2 times\n"
            + "\n"
            + "reply 354 then 554 after MAIL\n",
        StandardCharsets.UTF_8);

    assertThat(run("--port", "0", "--script", script.toString())).isEqualTo(2);

    assertThat(err())
        .startsWith("smtp-double: --script " + script + ": line 4, column ")
        .contains("reply 354 then 554 after MAIL\n");
  }
}
