package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Extension;
import dev.smtpdouble.Rule;
import dev.smtpdouble.Settings;
import dev.smtpdouble.SmtpDouble;
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
import java.time.Duration;
import java.util.Map;
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
        .startsWith("Usage: java -jar smtp-double-core-<version>.jar [options]\n")
        .contains("--port N", "--host ADDR", "--script FILE", "--rule \"RULE\"", "--mailbox DIR")
        .contains("--hostname NAME", "--size-limit N", "--idle-timeout DURATION", "--help")
        .contains("--data-timeout DURATION", "--max-sessions N", "--max-recipients N")
        .contains("--extensions LIST", "--keep N")
        .contains("DIR must be new\n                      or empty")
        .contains("500ms, 30s, 1.5s, 2m")
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

      assertThat(err())
          .startsWith("smtp-double: cannot listen on 127.0.0.1:" + port + ": ")
          .contains("another process listens there: choose another --port, or --port 0 for a free one");
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
  void aMailboxThatCannotBeCreatedSaysWhy() {
    Path proc = Path.of("/proc");
    assumeTrue(Files.isDirectory(proc), "/proc (where no folder can be made) exists on Linux only");

    assertThat(run("--port", "0", "--mailbox", "/proc/nope")).isEqualTo(2);

    assertThat(err())
        .isEqualTo(
            "smtp-double: --mailbox /proc/nope: cannot create the folder /proc/nope: /proc does not"
                + " accept new folders (no such file or directory); give a folder you can write"
                + " to\n");
  }

  @Test
  void aMailboxFromAnEarlierRunIsRefusedAndLeftAlone() throws IOException {
    Path box = Files.createDirectories(folder.resolve("box"));
    Files.writeString(box.resolve("000001.eml"), "from an earlier run");

    assertThat(run("--port", "0", "--mailbox", box.toString())).isEqualTo(2);

    assertThat(err())
        .isEqualTo(
            "smtp-double: --mailbox "
                + box
                + ": the folder is not empty (it holds 000001.eml): give a new or empty folder;"
                + " the double neither overwrites nor mixes runs\n");
    assertThat(box.resolve("000001.eml")).hasContent("from an earlier run");
    try (var files = Files.list(box)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void aFailedStartLeavesTheMailboxEmptyForTheNextTry() throws IOException {
    Path box = folder.resolve("box");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

      assertThat(run("--port", String.valueOf(taken.getLocalPort()), "--mailbox", box.toString()))
          .isEqualTo(2);
    }
    try (var files = Files.list(box)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void everyBuilderSettingHasAnOption() throws Exception {
    Main.Options options =
        Main.Options.parse(
            new String[] {
              "--port", "2600", "--host", "127.0.0.2", "--hostname", "mx.test",
              "--size-limit", "1000", "--idle-timeout", "30s", "--data-timeout", "2m",
              "--max-sessions", "7", "--max-recipients", "3", "--extensions", "size,8BITMIME",
              "--keep", "10", "--user", "ann:pw", "--auth", "PLAIN", "--require-auth",
              "--auth-needs-tls", "--show-secrets", "--strict", "--check-headers",
              "--rule", "reply 211 to HELP"
            });

    Settings settings = options.builder(null).settings();

    assertThat(settings.port()).isEqualTo(2600);
    assertThat(settings.bindAddress().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(settings.hostname()).isEqualTo("mx.test");
    assertThat(settings.sizeLimit()).isEqualTo(1000);
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.dataTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.maxSessions()).isEqualTo(7);
    assertThat(settings.maxRecipients()).isEqualTo(3);
    assertThat(settings.extensions()).containsExactlyInAnyOrder(Extension.SIZE, Extension.EIGHT_BIT_MIME);
    assertThat(settings.keepLast()).isEqualTo(10);
    assertThat(settings.users()).containsExactly(Map.entry("ann", "pw"));
    assertThat(settings.authMechanisms()).containsExactly(AuthMechanism.PLAIN);
    assertThat(settings.requireAuth()).isTrue();
    assertThat(settings.plaintextAuthNeedsTls()).isTrue();
    assertThat(settings.showSecrets()).isTrue();
    assertThat(settings.strict()).isTrue();
    assertThat(settings.checkHeaders()).isTrue();
    assertThat(settings.rules()).extracting(Rule::toString).containsExactly("reply 211 to HELP");
  }

  @Test
  void theCommandLineKeepsNothingByDefault() throws Exception {
    Settings settings = Main.Options.parse(new String[0]).builder(null).settings();

    assertThat(settings.keepLast()).isZero();
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.dataTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.extensions()).isEqualTo(Extension.all());
  }

  @Test
  void durationsAreWrittenAsInScripts() throws Exception {
    assertThat(Main.Options.parse(new String[] {"--idle-timeout", "500ms"}).idleTimeout)
        .isEqualTo(Duration.ofMillis(500));
    assertThat(Main.Options.parse(new String[] {"--data-timeout=1.5s"}).dataTimeout)
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(Main.Options.parse(new String[] {"--idle-timeout", "0s"}).idleTimeout).isZero();

    assertThat(run("--idle-timeout", "60")).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "smtp-double: --idle-timeout needs a duration such as 500ms, 2s or 1m, but was \"60\""
                + " (a number needs its unit: 60s?)\n");

    errBytes.reset();
    assertThat(run("--data-timeout", "0.5ms")).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "smtp-double: --data-timeout needs a duration of whole milliseconds, such as 1.5s or"
                + " 500ms, but was \"0.5ms\"\n");
  }

  @Test
  void extensionsAreNamedByTheirKeywordsOrNone() throws Exception {
    assertThat(Main.Options.parse(new String[] {"--extensions", "none"}).extensions).isEmpty();

    assertThat(run("--extensions", "SIZE,STARTTLS")).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "smtp-double: --extensions: unknown extension \"STARTTLS\" (known: SIZE, 8BITMIME,")
        .contains("; or none)");
  }

  @Test
  void limitsMustBeAtLeastOne() {
    assertThat(run("--max-sessions", "0")).isEqualTo(2);
    assertThat(err()).startsWith("smtp-double: --max-sessions must be at least 1, but was 0\n");

    errBytes.reset();
    assertThat(run("--keep", "-3")).isEqualTo(2);
    assertThat(err()).startsWith("smtp-double: --keep must be 0 to 2147483647, but was -3\n");
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
