package dev.smtpdouble.internal.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smtpdouble.ScriptException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of malformed rule: where the error points, what it found and what it expected. */
@Timeout(10)
class ScriptParserErrorTest {

  private static final String ACTION =
      "an action (reply, delay, disconnect, reset, stall, send, tls-fail or trickle)";
  private static final String CODE = "a three-digit reply code (200 to 599)";
  private static final String AFTER_ACTION = "\"to\" or \"after\" (or \",\" and another action)";
  private static final String AFTER_REPLY = "a quoted reply text, \"then\", " + AFTER_ACTION;
  private static final String AFTER_THEN = "a quoted reply text, " + AFTER_ACTION;
  private static final String TRIGGER = "a trigger (CONNECT or a verb such as MAIL)";
  private static final String DURATION = "a duration such as 500ms, 2s or 1m";
  private static final String COUNT = "a count (once, N times or on Nth)";
  private static final String END = "end of line or a # comment";
  private static final String ORDINAL = "an ordinal such as 1st, 2nd or 3rd";
  private static final String REPLY_ESCAPE = "an escape (\\\", \\\\ or \\t)";
  private static final String SEND_ESCAPE = "an escape (\\r, \\n, \\t, \\\\, \\\" or \\xHH)";
  private static final String HEX = "\\x and two hex digits, such as \\x0D";
  private static final String CLOSING_QUOTE = "a closing \" for the text that starts here";
  private static final String EOL = "end of line";

  /** Line, column, found, expected: one case per kind of error. */
  static Stream<Arguments> errors() {
    return Stream.of(
        // actions
        error("shout 250 to HELP", 1, "\"shout\"", ACTION),
        error("to HELP", 1, "\"to\"", ACTION),
        error(", reply 250 to HELP", 1, "\",\"", ACTION),
        error("\"reply\" 250 to HELP", 1, "\"\"reply\"\"", ACTION),
        error("reply 250, to HELP", 12, "\"to\"", ACTION),
        error("reply 250,, reset to HELP", 11, "\",\"", ACTION),
        error("reply 250, # no second action", 12, "\"# no second action\"", ACTION),
        error(
            "tls-fail to MAIL",
            13,
            "\"MAIL\"",
            "a valid rule (tls-fail belongs to STARTTLS (or to CONNECT with implicit TLS), not to"
                + " MAIL)"),
        // reply codes
        error("reply 35 to HELP", 7, "\"35\"", CODE),
        error("reply 2500 to HELP", 7, "\"2500\"", CODE),
        error("reply 600 to HELP", 7, "\"600\"", CODE),
        error("reply 199 to HELP", 7, "\"199\"", CODE),
        error("reply abc to HELP", 7, "\"abc\"", CODE),
        error("reply \"250\" to HELP", 7, "\"\"250\"\"", CODE),
        error("reply to HELP", 7, "\"to\"", CODE),
        error("reply", 6, EOL, CODE),
        error("reply # code missing", 7, "\"# code missing\"", CODE),
        error("reply 354 then after DATA", 16, "\"after\"", CODE),
        error("reply 354 then 55 after DATA", 16, "\"55\"", CODE),
        // what follows an action
        error("reply 250 HELP", 11, "\"HELP\"", AFTER_REPLY),
        error("reply 250 \"ok\" ok to HELP", 16, "\"ok\"", AFTER_REPLY),
        error("reply 250", 10, EOL, AFTER_REPLY),
        error("reply 354 then 250 DATA", 20, "\"DATA\"", AFTER_THEN),
        error("delay 2s HELP", 10, "\"HELP\"", AFTER_ACTION),
        error("delay 2s reply 250 to MAIL", 10, "\"reply\"", AFTER_ACTION),
        error("disconnect", 11, EOL, AFTER_ACTION),
        error("stall \"x\" to DATA", 7, "\"\"x\"\"", AFTER_ACTION),
        // then
        error(
            "reply 354 then 554 to HELP",
            11,
            "\"then\"",
            "the end of the reply (\"then\" is only for DATA and BDAT)"),
        error(
            "reply 354 \"a\" THEN 554 \"b\" after RCPT <*@x> once",
            15,
            "\"THEN\"",
            "the end of the reply (\"then\" is only for DATA and BDAT)"),
        error(
            "reply 250, reply 354 then 554, reply 451 then 452 to MAIL",
            22,
            "\"then\"",
            "the end of the reply (\"then\" is only for DATA and BDAT)"),
        error(
            "reply 354 then 250 then 554 after DATA",
            20,
            "\"then\"",
            "the end of the reply (a reply has at most one \"then\")"),
        error("delay 1s then 554 after DATA", 10, "\"then\"", AFTER_ACTION),
        error("send \"x\" then 554 after DATA", 10, "\"then\"", AFTER_ACTION),
        // durations
        error("delay 2 to MAIL", 7, "\"2\"", DURATION),
        error("delay 2h to MAIL", 7, "\"2h\"", DURATION),
        error("delay -1s to MAIL", 7, "\"-1s\"", DURATION),
        error("delay 2 s to MAIL", 7, "\"2\"", DURATION),
        error("delay .5s to MAIL", 7, "\".5s\"", DURATION),
        error("delay 1.s to MAIL", 7, "\"1.s\"", DURATION),
        error("delay 1e3ms to MAIL", 7, "\"1e3ms\"", DURATION),
        error("delay to MAIL", 7, "\"to\"", DURATION),
        error("delay \"2s\" to MAIL", 7, "\"\"2s\"\"", DURATION),
        error(
            "delay 0.0005s to MAIL",
            7,
            "\"0.0005s\"",
            "a duration of whole milliseconds, such as 1.5s or 500ms"),
        error(
            "delay 1.5ms to MAIL",
            7,
            "\"1.5ms\"",
            "a duration of whole milliseconds, such as 1.5s or 500ms"),
        error(
            "delay 9223372036854775808ms to MAIL",
            7,
            "\"9223372036854775808ms\"",
            "a duration of at most 9223372036854775807ms"),
        // send
        error(
            "send 250 to NOOP",
            6,
            "\"250\"",
            "a quoted text of the bytes to send, such as \"250 ok\\r\\n\""),
        error(
            "send to NOOP",
            6,
            "\"to\"",
            "a quoted text of the bytes to send, such as \"250 ok\\r\\n\""),
        error("send \"ok\\q\" to NOOP", 9, "\"\\q\"", SEND_ESCAPE),
        error("send \"\\R\" to NOOP", 7, "\"\\R\"", SEND_ESCAPE),
        error("send \"\\X41\" to NOOP", 7, "\"\\X\"", SEND_ESCAPE),
        error("send \"\\x4\" to NOOP", 7, "\"\\x4\"", HEX),
        error("send \"ab\\xZZ\" to NOOP", 9, "\"\\xZZ\"", HEX),
        error("send \"\\x\" to NOOP", 7, "\"\\x\"", HEX),
        error("send \"\\x4\\\"\" to NOOP", 7, "\"\\x4\\\"", HEX),
        error("send \"a\uD800b\" to NOOP", 8, "\"\uD800\"", "a whole character (half a pair here)"),
        // quoted texts
        error("reply 250 \"a\\nb\" to HELP", 13, "\"\\n\"", REPLY_ESCAPE),
        error("reply 250 \"\\x41\" to HELP", 12, "\"\\x\"", REPLY_ESCAPE),
        error("reply 250 \"\\r\" to HELP", 12, "\"\\r\"", REPLY_ESCAPE),
        error("reply 250 to HELP \"a\\*\"", 21, "\"\\*\"", REPLY_ESCAPE),
        error("reply 250 \"\\\uD83D\uDE00\" to HELP", 12, "\"\\\uD83D\uDE00\"", REPLY_ESCAPE),
        error("reply 250 \"abc to HELP", 11, EOL, CLOSING_QUOTE),
        error("reply 250 \"abc\\\" to HELP", 11, EOL, CLOSING_QUOTE),
        error("reply 250 \"abc\\", 11, EOL, CLOSING_QUOTE),
        error("send \"250 ok # to NOOP", 6, EOL, CLOSING_QUOTE),
        error("reply 250 to HELP \"", 19, EOL, CLOSING_QUOTE),
        // triggers
        error("reply 250 to", 13, EOL, TRIGGER),
        error("reply 250 after # no trigger", 17, "\"# no trigger\"", TRIGGER),
        error("reply 250 to 123", 14, "\"123\"", TRIGGER),
        error("reply 250 to -HELP", 14, "\"-HELP\"", TRIGGER),
        error("reply 250 to HELP_ME", 14, "\"HELP_ME\"", TRIGGER),
        error("reply 250 to \"HELP\"", 14, "\"\"HELP\"\"", TRIGGER),
        error("reply 250 to , HELP", 14, "\",\"", TRIGGER),
        error("reply 250 to MAIL<a@b>", 14, "\"MAIL<a@b>\"", TRIGGER),
        error("reply 250 to H\u00c9LO", 14, "\"H\u00c9LO\"", TRIGGER),
        // patterns
        error(
            "reply 250 to HELP \"\"",
            19,
            "\"\"\"\"",
            "a non-empty pattern (leave it out to match every command)"),
        error(
            "reply 250 to RCPT, reset",
            18,
            "\",\"",
            "a pattern, a count (once, N times or on Nth) or end of line"),
        // counts
        error("reply 250 to HELP foo bar", 23, "\"bar\"", COUNT),
        error("reply 250 to HELP foo \"bar\"", 23, "\"\"bar\"\"", COUNT),
        error("reply 250 to HELP foo, reset", 22, "\",\"", COUNT),
        error("reply 250 to HELP foo 2", 24, EOL, "\"times\""),
        error("reply 250 to HELP foo 2 time", 25, "\"time\"", "\"times\""),
        error("reply 250 to HELP foo 2 # twice", 25, "\"# twice\"", "\"times\""),
        error("reply 250 to HELP 0 times", 19, "\"0\"", "a number of times from 1 to 2147483647"),
        error(
            "reply 250 to HELP foo 2147483648 times",
            23,
            "\"2147483648\"",
            "a number of times from 1 to 2147483647"),
        error("reset to RCPT on 2th", 18, "\"2th\"", "\"2nd\""),
        error("reset to RCPT on 1th", 18, "\"1th\"", "\"1st\""),
        error("reset to RCPT on 3nd", 18, "\"3nd\"", "\"3rd\""),
        error("reset to RCPT on 11st", 18, "\"11st\"", "\"11th\""),
        error("reset to RCPT on 12nd", 18, "\"12nd\"", "\"12th\""),
        error("reset to RCPT on 13rd", 18, "\"13rd\"", "\"13th\""),
        error("reset to RCPT on 21th", 18, "\"21th\"", "\"21st\""),
        error("reset to RCPT on 101th", 18, "\"101th\"", "\"101st\""),
        error("reset to RCPT on 111st", 18, "\"111st\"", "\"111th\""),
        error("reset to RCPT on 2", 18, "\"2\"", "\"2nd\""),
        error("reset to RCPT on 2nd-", 18, "\"2nd-\"", "\"2nd\""),
        error("reset to RCPT on 0th", 18, "\"0th\"", "an ordinal from 1st to 2147483647th"),
        error(
            "reset to RCPT on 2147483648th",
            18,
            "\"2147483648th\"",
            "an ordinal from 1st to 2147483647th"),
        error("reset to RCPT foo on", 21, EOL, ORDINAL),
        error("reset to RCPT foo on second", 22, "\"second\"", ORDINAL),
        error("reset to RCPT foo on \"2nd\"", 22, "\"\"2nd\"\"", ORDINAL),
        // after the count
        error("reply 250 to HELP once twice", 24, "\"twice\"", END),
        error("reply 250 to HELP once, reset", 23, "\",\"", END),
        error("reply 250 to HELP 2 times once", 27, "\"once\"", END),
        error("reply 250 to HELP x on 2nd \"more\"", 28, "\"\"more\"\"", END));
  }

  private static Arguments error(String line, int column, String found, String expected) {
    return Arguments.of(line, column, found, expected);
  }

  @ParameterizedTest
  @MethodSource("errors")
  void reportsTheError(String line, int column, String found, String expected) {
    ScriptException e = parseFailure(line);

    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(column);
    assertThat(e.found()).isEqualTo(found);
    assertThat(e.expected()).isEqualTo(expected);
    assertThat(e.sourceLine()).isEqualTo(line);
    assertThat(e.getMessage())
        .startsWith("line 1, column " + column + ": expected " + expected + " but found " + found)
        .endsWith("\n  " + line + "\n  " + " ".repeat(column - 1) + "^");
  }

  @Test
  void countsLinesAcrossTexts() {
    ScriptException e =
        parseFailure(
            "reply 250 to HELO\n# a comment\n", "", "reply 251 to EHLO\r\n\r\nreply 35 to HELP");

    assertThat(e.line()).isEqualTo(6);
    assertThat(e.column()).isEqualTo(7);
    assertThat(e.found()).isEqualTo("\"35\"");
    assertThat(e.sourceLine()).isEqualTo("reply 35 to HELP");
    assertThat(e.getMessage()).startsWith("line 6, column 7: ");
  }

  @Test
  void aFinalLineBreakEndsATextWithoutAddingALine() {
    ScriptException e = parseFailure("reply 250 to HELO\r", "reply 250 to");

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(13);
  }

  @Test
  void reportsTheFirstBadLineOnly() {
    ScriptException e = parseFailure("stall to DATA\ndelay 2 to MAIL\nreply 35 to HELP");

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.found()).isEqualTo("\"2\"");
  }

  @Test
  void reportsTheLeftmostErrorOfALine() {
    ScriptException e = parseFailure("reply 35 \"unterminated to HELP");

    assertThat(e.column()).isEqualTo(7);
  }

  @Test
  void aCommentMayFollowEveryLastPartOfARule() {
    assertThat(
            ScriptParser.parse(
                "reply 250 \"a\" to QUIT# c",
                "delay 2s, reply 250 to HELP#c",
                "reply 250 to HELP foo# c",
                "reply 250 to HELP \"foo\"# c",
                "reply 250 to HELP once# c",
                "reply 250 to HELP 2 times#c",
                "reply 250 to HELP on 2nd#c"))
        .hasSize(7);
  }

  private static ScriptException parseFailure(String... texts) {
    Throwable thrown = catchThrowable(() -> ScriptParser.parse(texts));
    assertThat(thrown).isExactlyInstanceOf(ScriptException.class);
    return (ScriptException) thrown;
  }
}
