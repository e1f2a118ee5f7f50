package dev.smtpdouble.internal.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.Action;
import dev.smtpdouble.Action.Respond;
import dev.smtpdouble.Count;
import dev.smtpdouble.Rule;
import dev.smtpdouble.Rule.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The example rules of the language: each parses to its value and prints back as written. */
@Timeout(10)
class ScriptParserExamplesTest {

  private static Rule rule(Action action, Phase phase, String trigger) {
    return new Rule(List.of(action), phase, trigger, null, Count.always());
  }

  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of("reply 211 to HELP", rule(Respond.of(211), Phase.TO, "HELP")),
        Arguments.of(
            "reply 211 \"System status: all queues empty\" to HELP",
            rule(Respond.of(211, "System status: all queues empty"), Phase.TO, "HELP")),
        Arguments.of(
            "reply 354 then 554 after DATA",
            rule(new Respond(354, List.of(), Optional.of(Respond.of(554))), Phase.AFTER, "DATA")),
        Arguments.of(
            "reply 354 \"Go ahead\" then 554 \"5.7.1 Message rejected as spam\" after DATA",
            rule(
                new Respond(
                    354,
                    List.of("Go ahead"),
                    Optional.of(Respond.of(554, "5.7.1 Message rejected as spam"))),
                Phase.AFTER,
                "DATA")),
        Arguments.of(
            "reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>",
            new Rule(
                List.of(Respond.of(550, "5.1.1 No such user")),
                Phase.TO,
                "RCPT",
                "<*@blocked.test>",
                Count.always())),
        Arguments.of(
            "reply 421 \"4.3.2 Try again later\" to MAIL once",
            new Rule(
                List.of(Respond.of(421, "4.3.2 Try again later")),
                Phase.TO,
                "MAIL",
                null,
                Count.once())),
        Arguments.of(
            "reply 451 \"4.7.1 Greylisted\" to RCPT 2 times",
            new Rule(
                List.of(Respond.of(451, "4.7.1 Greylisted")),
                Phase.TO,
                "RCPT",
                null,
                Count.times(2))),
        Arguments.of(
            "reply 250 \"mx.test greets you\" \"SIZE 1000\" \"PIPELINING\" to EHLO",
            rule(
                Respond.of(250, "mx.test greets you", "SIZE 1000", "PIPELINING"),
                Phase.TO,
                "EHLO")),
        Arguments.of(
            "reply 554 \"5.3.2 No service here\" to CONNECT",
            rule(Respond.of(554, "5.3.2 No service here"), Phase.TO, "CONNECT")),
        Arguments.of(
            "delay 2s to CONNECT",
            rule(new Action.Delay(Duration.ofSeconds(2)), Phase.TO, "CONNECT")),
        Arguments.of(
            "delay 500ms, reply 250 to MAIL",
            new Rule(
                List.of(new Action.Delay(Duration.ofMillis(500)), Respond.of(250)),
                Phase.TO,
                "MAIL",
                null,
                Count.always())),
        Arguments.of("disconnect after DATA", rule(new Action.Disconnect(), Phase.AFTER, "DATA")),
        Arguments.of(
            "reset to RCPT on 2nd",
            new Rule(List.of(new Action.Reset()), Phase.TO, "RCPT", null, Count.nth(2))),
        Arguments.of("stall to DATA", rule(new Action.Stall(), Phase.TO, "DATA")),
        Arguments.of(
            "send \"250 ok\\r\\n250 surprise\\r\\n\" to NOOP",
            rule(Action.Send.text("250 ok\r\n250 surprise\r\n"), Phase.TO, "NOOP")));
  }

  @ParameterizedTest
  @MethodSource("examples")
  void parsesToTheExpectedRule(String line, Rule expected) {
    assertThat(ScriptParser.parse(line)).containsExactly(expected);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void printsBackTheCanonicalText(String line, Rule expected) {
    assertThat(expected.toString()).isEqualTo(line);
    assertThat(ScriptParser.parse(line).get(0).toString()).isEqualTo(line);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void readsTheSameWithATrailingCommentAndOddSpacing(String line, Rule expected) {
    assertThat(ScriptParser.parse(" \t" + widenBlanksOutsideQuotes(line) + "\t# why?"))
        .containsExactly(expected);
  }

  /** Each space between tokens becomes a space, a tab and a form feed. */
  private static String widenBlanksOutsideQuotes(String line) {
    StringBuilder out = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && quoted) {
        out.append(c).append(line.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      out.append(c == ' ' && !quoted ? " \t\f" : String.valueOf(c));
    }
    return out.toString();
  }

  @Test
  void readsAllExamplesAsOneScript() {
    List<String> lines = examples().map(a -> (String) a.get()[0]).toList();
    List<Rule> expected = examples().map(a -> (Rule) a.get()[1]).toList();

    String script = "# every example\n\n" + String.join("\n", lines) + "\n";

    assertThat(ScriptParser.parse(script)).isEqualTo(expected);
  }

  @Test
  void keepsTheTriggerAsAWordAndUpperCasesIt() {
    Rule rule = ScriptParser.parse("reply 250 to x-Custom-Verb9").get(0);

    assertThat(rule.trigger()).isEqualTo("X-CUSTOM-VERB9");
    assertThat(rule.command()).isEmpty();
    assertThat(rule).hasToString("reply 250 to X-CUSTOM-VERB9");
  }

  @ParameterizedTest
  @MethodSource("mixedCase")
  void keywordsTriggersAndUnitsAreCaseInsensitive(String line, String canonical) {
    assertThat(ScriptParser.parse(line).get(0)).hasToString(canonical);
  }

  static Stream<Arguments> mixedCase() {
    return Stream.of(
        Arguments.of("REPLY 421 \"x\" TO mail ONCE", "reply 421 \"x\" to MAIL once"),
        Arguments.of("Reply 354 THEN 554 After Data", "reply 354 then 554 after DATA"),
        Arguments.of("reply 354 Then 554 to bdat", "reply 354 then 554 to BDAT"),
        Arguments.of(
            "DELAY 2S, Delay 500Ms, delay 1M To connect",
            "delay 2s, delay 500ms, delay 1m to CONNECT"),
        Arguments.of("Reset to rcpt ON 2ND", "reset to RCPT on 2nd"),
        Arguments.of("Stall AFTER help \"ON\" 3 TIMES", "stall after HELP \"ON\" 3 times"),
        Arguments.of("DisConnect to Quit", "disconnect to QUIT"),
        Arguments.of("SEND \"\\xaB\" to noop", "send \"\\xAB\" to NOOP"));
  }

  @Test
  void readsDecimalDurations() {
    assertThat(ScriptParser.parse("delay 1.5s to MAIL").get(0).actions())
        .containsExactly(new Action.Delay(Duration.ofMillis(1500)));
    assertThat(ScriptParser.parse("delay 0.25m to MAIL").get(0).actions())
        .containsExactly(new Action.Delay(Duration.ofMillis(15_000)));
    assertThat(ScriptParser.parse("delay 0ms to MAIL").get(0).actions())
        .containsExactly(new Action.Delay(Duration.ZERO));
    assertThat(ScriptParser.parse("delay 2.000s to MAIL").get(0)).hasToString("delay 2s to MAIL");
  }

  @Test
  void readsEscapesInRepliesPatternsAndSends() {
    Rule reply =
        ScriptParser.parse("reply 250 \"a \\\"b\\\" \\\\ c\\td\" to HELP \"x y\\\"\"").get(0);
    assertThat(reply.actions()).containsExactly(Respond.of(250, "a \"b\" \\ c\td"));
    assertThat(reply.pattern()).contains("x y\"");

    Rule send = ScriptParser.parse("send \"\\r\\n\\t\\\\\\\"\\x00\\xfF\\x7e é\" to NOOP").get(0);
    assertThat(send.actions())
        .containsExactly(
            new Action.Send(
                new byte[] {
                  '\r', '\n', '\t', '\\', '"', 0, (byte) 0xFF, '~', ' ', (byte) 0xC3, (byte) 0xA9
                }));
  }

  @Test
  void sendsNonAsciiAsUtf8() {
    Rule rule = ScriptParser.parse("send \"\u20ac\uD83D\uDE00\" to NOOP").get(0);

    assertThat(rule.actions()).containsExactly(Action.Send.text("\u20ac\uD83D\uDE00"));
  }

  @Test
  void aHashInsideQuotesIsNotAComment() {
    Rule rule = ScriptParser.parse("reply 250 \"a # b\" to HELP \"#1\" # a real comment").get(0);

    assertThat(rule.actions()).containsExactly(Respond.of(250, "a # b"));
    assertThat(rule.pattern()).contains("#1");
  }

  @Test
  void tellsPatternsFromCounts() {
    assertThat(ScriptParser.parse("reply 250 to HELP 2").get(0).pattern()).contains("2");
    assertThat(ScriptParser.parse("reply 250 to HELP 2 times").get(0).pattern()).isEmpty();
    assertThat(ScriptParser.parse("reply 250 to HELP 2 times").get(0).count())
        .isEqualTo(Count.times(2));
    assertThat(ScriptParser.parse("reply 250 to HELP 2 2 times").get(0))
        .isEqualTo(new Rule(List.of(Respond.of(250)), Phase.TO, "HELP", "2", Count.times(2)));
    assertThat(ScriptParser.parse("reply 250 to HELP once").get(0).count()).isEqualTo(Count.once());
    assertThat(ScriptParser.parse("reply 250 to HELP \"once\" once").get(0))
        .isEqualTo(new Rule(List.of(Respond.of(250)), Phase.TO, "HELP", "once", Count.once()));
    assertThat(ScriptParser.parse("reply 250 to HELP on 3rd").get(0).count())
        .isEqualTo(Count.nth(3));
    assertThat(ScriptParser.parse("reply 250 to HELP on").get(0).pattern()).contains("on");
    assertThat(ScriptParser.parse("reply 250 to HELP on on 1st").get(0))
        .isEqualTo(new Rule(List.of(Respond.of(250)), Phase.TO, "HELP", "on", Count.nth(1)));
    assertThat(ScriptParser.parse("reply 250 to HELP 1 times").get(0).count())
        .isEqualTo(Count.once());
  }

  @Test
  void readsEnglishOrdinals() {
    String[] ordinals = {
      "1st",
      "2nd",
      "3rd",
      "4th",
      "10th",
      "11th",
      "12th",
      "13th",
      "14th",
      "21st",
      "22nd",
      "23rd",
      "24th",
      "100th",
      "101st",
      "102nd",
      "111th",
      "112th",
      "113th",
      "121st",
      "2147483647th"
    };
    for (String ordinal : ordinals) {
      int n = Integer.parseInt(ordinal.replaceAll("[a-z]", ""));
      assertThat(ScriptParser.parse("reset to RCPT on " + ordinal).get(0).count())
          .as(ordinal)
          .isEqualTo(Count.nth(n));
    }
  }

  @Test
  void countsLinesAcrossTextsAndLineBreakStyles() {
    List<Rule> rules =
        ScriptParser.parse(
            "reply 250 to HELO\r\nreply 251 to EHLO\rreply 252 to VRFY\n",
            "",
            "# nothing\n\n  \t",
            "stall to DATA # the end");

    assertThat(rules).extracting(Rule::trigger).containsExactly("HELO", "EHLO", "VRFY", "DATA");
    assertThat(ScriptParser.parse()).isEmpty();
    assertThat(ScriptParser.parse("", "\n", "# only comments")).isEmpty();
  }
}
