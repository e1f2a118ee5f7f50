package dev.smtpdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smtpdouble.Action.Respond;
import dev.smtpdouble.Rule.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Rule#parse(String)} and {@link Rule#parseScript(String...)}: the public entry points. */
@Timeout(10)
class RuleParseTest {

  private static Rule rule(List<Action> actions, Phase phase, String trigger) {
    return new Rule(actions, phase, trigger, null, Count.always());
  }

  @Test
  void javaBuiltRulesEqualTheParsedExamples() {
    assertThat(Rule.parse("reply 211 to HELP"))
        .isEqualTo(rule(List.of(Respond.of(211)), Phase.TO, "help"));
    assertThat(Rule.parse("reply 211 \"System status: all queues empty\" to HELP"))
        .isEqualTo(
            rule(List.of(Respond.of(211, "System status: all queues empty")), Phase.TO, "HELP"));
    assertThat(Rule.parse("reply 354 then 554 after DATA"))
        .isEqualTo(rule(List.of(Respond.of(354).then(554)), Phase.AFTER, "DATA"));
    assertThat(
            Rule.parse(
                "reply 354 \"Go ahead\" then 554 \"5.7.1 Message rejected as spam\" after DATA"))
        .isEqualTo(
            rule(
                List.of(Respond.of(354, "Go ahead").then(554, "5.7.1 Message rejected as spam")),
                Phase.AFTER,
                "DATA"));
    assertThat(Rule.parse("reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>"))
        .isEqualTo(
            new Rule(
                List.of(Respond.of(550, "5.1.1 No such user")),
                Phase.TO,
                "RCPT",
                "<*@blocked.test>",
                Count.always()));
    assertThat(Rule.parse("reply 421 \"4.3.2 Try again later\" to MAIL once"))
        .isEqualTo(
            rule(List.of(Respond.of(421, "4.3.2 Try again later")), Phase.TO, "MAIL")
                .withCount(Count.once()));
    assertThat(Rule.parse("reply 451 \"4.7.1 Greylisted\" to RCPT 2 times"))
        .isEqualTo(
            rule(List.of(Respond.of(451, "4.7.1 Greylisted")), Phase.TO, "RCPT")
                .withCount(Count.times(2)));
    assertThat(Rule.parse("reply 250 \"mx.test greets you\" \"SIZE 1000\" \"PIPELINING\" to EHLO"))
        .isEqualTo(
            rule(
                List.of(Respond.of(250, "mx.test greets you", "SIZE 1000", "PIPELINING")),
                Phase.TO,
                "EHLO"));
    assertThat(Rule.parse("reply 554 \"5.3.2 No service here\" to CONNECT"))
        .isEqualTo(
            rule(
                List.of(Respond.of(554, "5.3.2 No service here")),
                Phase.TO,
                Command.CONNECT.verb()));
    assertThat(Rule.parse("delay 2s to CONNECT"))
        .isEqualTo(rule(List.of(new Action.Delay(Duration.ofMillis(2000))), Phase.TO, "CONNECT"));
    assertThat(Rule.parse("delay 500ms, reply 250 to MAIL"))
        .isEqualTo(
            rule(
                List.of(new Action.Delay(Duration.ofMillis(500)), Respond.of(250)),
                Phase.TO,
                "MAIL"));
    assertThat(Rule.parse("disconnect after DATA"))
        .isEqualTo(rule(List.of(new Action.Disconnect()), Phase.AFTER, "DATA"));
    assertThat(Rule.parse("reset to RCPT on 2nd"))
        .isEqualTo(rule(List.of(new Action.Reset()), Phase.TO, "RCPT").withCount(Count.nth(2)));
    assertThat(Rule.parse("stall to DATA"))
        .isEqualTo(rule(List.of(new Action.Stall()), Phase.TO, "DATA"));
    assertThat(Rule.parse("send \"250 ok\\r\\n250 surprise\\r\\n\" to NOOP"))
        .isEqualTo(
            rule(
                List.of(
                    new Action.Send("250 ok\r\n250 surprise\r\n".getBytes(StandardCharsets.UTF_8))),
                Phase.TO,
                "NOOP"));
  }

  @Test
  void parsedRulesKnowTheirCommandAndMatch() {
    Rule rule = Rule.parse("reply 550 \"5.1.1 No such user\" to rcpt *@BLOCKED.test # spam");

    assertThat(rule.command()).contains(Command.RCPT);
    assertThat(rule.matches("RCPT", "<joe@blocked.test>")).isTrue();
    assertThat(rule.matches("RCPT", "<joe@open.test>")).isFalse();
  }

  @Test
  void parseAllowsCommentsAndBlankLinesAroundTheRule() {
    assertThat(Rule.parse("\n# greylisting\n  reply 451 to RCPT once # first try\n\n"))
        .isEqualTo(rule(List.of(Respond.of(451)), Phase.TO, "RCPT").withCount(Count.once()));
  }

  @Test
  void parseRejectsATextWithoutARule() {
    ScriptException empty = failure(() -> Rule.parse(""));
    assertThat(empty.line()).isEqualTo(1);
    assertThat(empty.column()).isEqualTo(1);
    assertThat(empty.found()).isEqualTo("end of line");
    assertThat(empty.expected()).isEqualTo("a rule");
    assertThat(empty.getMessage())
        .isEqualTo("line 1, column 1: expected a rule but found end of line\n  \n  ^");

    ScriptException comment = failure(() -> Rule.parse("  # only a comment\n\n# and another"));
    assertThat(comment.line()).isEqualTo(1);
    assertThat(comment.column()).isEqualTo(1);
    assertThat(comment.found()).isEqualTo("\"# only a comment\"");
    assertThat(comment.expected()).isEqualTo("a rule");
    assertThat(comment.sourceLine()).isEqualTo("  # only a comment");
  }

  @Test
  void parseRejectsATextWithSeveralRules() {
    ScriptException e =
        failure(() -> Rule.parse("# two\nreply 250 to HELO\n\n  reply 251 \"#\" to EHLO # x\n"));

    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(3);
    assertThat(e.found()).isEqualTo("\"reply 251 \"#\" to EHLO\"");
    assertThat(e.expected()).isEqualTo("exactly one rule");
    assertThat(e.getMessage()).endsWith("\n    reply 251 \"#\" to EHLO # x\n    ^");
  }

  @Test
  void parseReportsSyntaxErrorsBeforeCountingRules() {
    ScriptException e = failure(() -> Rule.parse("reply 250 to HELO\nreply 35 to HELP"));

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(7);
  }

  @Test
  void parseScriptReadsEveryRule() {
    List<Rule> rules =
        Rule.parseScript(
            "# faults for the signup test",
            "reply 421 \"4.3.2 Try again later\" to MAIL once\ndelay 2s to CONNECT",
            "reset to RCPT on 2nd # second recipient");

    assertThat(rules)
        .containsExactly(
            Rule.parse("reply 421 \"4.3.2 Try again later\" to MAIL once"),
            Rule.parse("delay 2s to CONNECT"),
            Rule.parse("reset to RCPT on 2nd"));
  }

  @Test
  void parseScriptNamesTheLineAcrossItsArguments() {
    ScriptException e =
        failure(() -> Rule.parseScript("stall to DATA", "# note\nreply 250 to HELP on 2th"));

    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(22);
    assertThat(e.expected()).isEqualTo("\"2nd\"");
  }

  @Test
  void aPatternCannotHoldALineBreak() {
    for (String pattern : List.of("a\nb", "\r\n", "x\r")) {
      assertThat(
              catchThrowable(
                  () ->
                      new Rule(List.of(Respond.of(250)), Phase.TO, "HELP", pattern, Count.once())))
          .as(pattern)
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CR or LF");
    }
  }

  @Test
  void theLongestDelayIsLongMaxValueMilliseconds() {
    Action.Delay longest = new Action.Delay(Duration.ofMillis(Long.MAX_VALUE));

    assertThat(Rule.parse(longest + " to MAIL").actions()).containsExactly(longest);
    assertThat(catchThrowable(() -> new Action.Delay(Duration.ofSeconds(Long.MAX_VALUE))))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> new Action.Delay(Duration.ofNanos(1_500_000))))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  private static ScriptException failure(Runnable parse) {
    Throwable thrown = catchThrowable(parse::run);
    assertThat(thrown).isExactlyInstanceOf(ScriptException.class);
    return (ScriptException) thrown;
  }
}
