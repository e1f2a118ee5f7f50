package dev.smtpdouble.internal.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.Action;
import dev.smtpdouble.Action.Respond;
import dev.smtpdouble.Command;
import dev.smtpdouble.Count;
import dev.smtpdouble.Rule;
import dev.smtpdouble.Rule.Phase;
import dev.smtpdouble.ScriptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Properties of the parser: valid rules survive their text, and nothing else escapes it. */
class ScriptParserPropertiesTest {

  // ---- round trip ----

  @Property(tries = 1000)
  void aValidRuleSurvivesItsText(@ForAll("rules") Rule rule) {
    String text = rule.toString();

    Rule parsed = Rule.parse(text);

    assertThat(parsed).isEqualTo(rule);
    assertThat(parsed).hasToString(text);
    assertThat(ScriptParser.parse(text + " # again", "\t" + text)).containsExactly(rule, rule);
  }

  @Provide
  Arbitrary<Rule> rules() {
    return triggers()
        .flatMap(
            trigger ->
                Combinators.combine(
                        actions(trigger),
                        Arbitraries.of(Phase.class),
                        patterns().injectNull(0.4),
                        counts())
                    .as(
                        (actions, phase, pattern, count) ->
                            new Rule(actions, phase, trigger, pattern, count)));
  }

  private static Arbitrary<String> triggers() {
    Arbitrary<String> known =
        Arbitraries.of(Command.class)
            .map(Command::verb)
            .flatMap(ScriptParserPropertiesTest::anyCase);
    Arbitrary<String> words =
        Combinators.combine(
                Arbitraries.chars().alpha(),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withCharRange('A', 'Z')
                    .withCharRange('0', '9')
                    .withChars('-')
                    .ofMaxLength(8))
            .as((first, rest) -> first + rest);
    Arbitrary<String> keywords =
        Arbitraries.of("on", "once", "to", "after", "times", "then", "reply", "x-tls-fail")
            .flatMap(ScriptParserPropertiesTest::anyCase);
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(4, known),
            Tuple.of(
                3, Arbitraries.of("DATA", "BDAT").flatMap(ScriptParserPropertiesTest::anyCase)),
            Tuple.of(2, words),
            Tuple.of(1, keywords)));
  }

  private static Arbitrary<String> anyCase(String word) {
    return Arbitraries.of(true, false)
        .list()
        .ofSize(word.length())
        .map(
            upper -> {
              StringBuilder out = new StringBuilder();
              for (int i = 0; i < word.length(); i++) {
                String c = word.substring(i, i + 1);
                out.append(upper.get(i) ? c.toUpperCase(Locale.ROOT) : c.toLowerCase(Locale.ROOT));
              }
              return out.toString();
            });
  }

  private static Arbitrary<List<Action>> actions(String trigger) {
    boolean data = trigger.equalsIgnoreCase("DATA") || trigger.equalsIgnoreCase("BDAT");
    Arbitrary<Action> reply =
        data
            ? Combinators.combine(replies(), replies().injectNull(0.5))
                .as(
                    (first, then) ->
                        new Respond(first.code(), first.texts(), Optional.ofNullable(then)))
            : replies().map(Action.class::cast);
    Arbitrary<Action> delay = millis().map(ms -> new Action.Delay(Duration.ofMillis(ms)));
    Arbitrary<Action> send =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(24).map(Action.Send::new);
    Arbitrary<Action> bare =
        Arbitraries.of(new Action.Disconnect(), new Action.Reset(), new Action.Stall());
    return Arbitraries.frequencyOf(
            List.of(Tuple.of(5, reply), Tuple.of(2, delay), Tuple.of(2, send), Tuple.of(1, bare)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  private static Arbitrary<Respond> replies() {
    return Combinators.combine(
            Arbitraries.integers().between(200, 599), texts().list().ofMaxSize(3))
        .as((code, texts) -> new Respond(code, texts, Optional.empty()));
  }

  private static Arbitrary<Long> millis() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(2, Arbitraries.longs().between(0, Long.MAX_VALUE)),
            Tuple.of(2, Arbitraries.longs().between(0, 10_000)),
            Tuple.of(1, Arbitraries.longs().between(0, 1_000).map(s -> s * 1_000)),
            Tuple.of(1, Arbitraries.longs().between(0, 1_000).map(m -> m * 60_000)),
            Tuple.of(
                1, Arbitraries.longs().between(0, Long.MAX_VALUE / 60_000).map(m -> m * 60_000))));
  }

  /** Reply texts: printable and non-ASCII text with quotes, backslashes, tabs and '#'. */
  private static Arbitrary<String> texts() {
    Arbitrary<String> ascii = Arbitraries.chars().range(' ', '~').map(String::valueOf);
    Arbitrary<String> tricky =
        Arbitraries.of(
            "\"",
            "\\",
            "#",
            ",",
            " ",
            "\t",
            "*",
            "?",
            "<",
            ">",
            "@",
            "\\\"",
            "\\t",
            "\u000B",
            "\f",
            "\u00A0",
            "\u00E9",
            "\u20AC",
            "\u2028",
            "\u0085",
            "\u0000",
            "\uD83D\uDE00",
            "\u00FF");
    Arbitrary<String> anyChar =
        Arbitraries.chars().all().filter(c -> c != '\r' && c != '\n').map(String::valueOf);
    return Arbitraries.frequencyOf(
            List.of(Tuple.of(4, ascii), Tuple.of(3, tricky), Tuple.of(1, anyChar)))
        .list()
        .ofMaxSize(16)
        .map(pieces -> String.join("", pieces));
  }

  private static Arbitrary<String> patterns() {
    Arbitrary<String> globs =
        Arbitraries.strings().withChars("abcxyz019*?<>@.-_+=%!").ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> lookAlikes =
        Arbitraries.of(
            "once",
            "ONCE",
            "Once",
            "on",
            "ON",
            "oN",
            "2",
            "007",
            "2147483648",
            "2 times",
            "on 2nd",
            "2nd",
            "times",
            "to",
            "#",
            "\"",
            ",",
            "a,b",
            "a b",
            " ",
            "\\",
            "\t",
            "<*@blocked.test>");
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, globs),
            Tuple.of(2, lookAlikes),
            Tuple.of(3, texts().filter(text -> !text.isEmpty()))));
  }

  private static Arbitrary<Count> counts() {
    Arbitrary<Integer> positive =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(3, Arbitraries.integers().between(1, 130)),
                Tuple.of(1, Arbitraries.integers().between(1, Integer.MAX_VALUE))));
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(2, Arbitraries.just(Count.always())),
            Tuple.of(2, positive.map(Count::times)),
            Tuple.of(2, positive.map(Count::nth))));
  }

  // ---- nothing but ScriptException ----

  @Property(tries = 1000)
  void anyTextParsesOrFailsWithAScriptExceptionInsideIt(
      @ForAll("scripts") String first, @ForAll("scripts") String second) {
    try {
      List<Rule> rules = ScriptParser.parse(first);
      for (Rule rule : rules) {
        assertThat(Rule.parse(rule.toString())).isEqualTo(rule);
      }
      Statistics.label("script").collect(rules.isEmpty() ? "no rules" : "rules");
    } catch (ScriptException e) {
      assertInside(e, lines(first));
      Statistics.label("script").collect("error");
      Statistics.label("expected").collect(e.expected().replaceAll("[0-9]+", "N"));
    }
    try {
      Rule rule = Rule.parse(first);
      assertThat(Rule.parse(rule.toString())).isEqualTo(rule);
    } catch (ScriptException e) {
      assertInside(e, lines(first));
    }
    List<String> lines = new ArrayList<>(lines(first));
    lines.addAll(lines(second));
    try {
      assertThat(ScriptParser.parse(first, second)).hasSizeLessThanOrEqualTo(lines.size());
    } catch (ScriptException e) {
      assertInside(e, lines);
    }
  }

  private static void assertInside(ScriptException e, List<String> lines) {
    assertThat(e.line()).isBetween(1, lines.size());
    assertThat(e.sourceLine()).isEqualTo(lines.get(e.line() - 1));
    assertThat(e.column()).isBetween(1, e.sourceLine().length() + 1);
    assertThat(e.found()).isNotEmpty();
    assertThat(e.expected()).isNotBlank();
    assertThat(e.getMessage())
        .startsWith("line " + e.line() + ", column " + e.column() + ": expected ")
        .endsWith("\n  " + e.sourceLine() + "\n  " + " ".repeat(e.column() - 1) + "^");
  }

  /** A text's lines: a final line break ends the last line rather than starting one. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
    if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  @Provide
  Arbitrary<String> scripts() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, mutatedRules()),
            Tuple.of(3, rulesWithAWrongToken()),
            Tuple.of(2, ruleShapedSoup()),
            Tuple.of(1, tokenSoup(TOKENS, 14)),
            Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)),
            Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(40))));
  }

  /** Valid rules with one space-separated token dropped, repeated or replaced by another. */
  private static Arbitrary<String> rulesWithAWrongToken() {
    return Combinators.combine(
            new ScriptParserPropertiesTest().rules().map(Rule::toString),
            Arbitraries.integers().between(0, 1000).withoutEdgeCases(),
            Arbitraries.integers().between(0, 2).withoutEdgeCases(),
            Arbitraries.of(TOKENS))
        .as(
            (text, where, how, token) -> {
              List<String> parts = new ArrayList<>(List.of(text.split(" ", -1)));
              int at = where % parts.size();
              switch (how) {
                case 0 -> parts.remove(at);
                case 1 -> parts.add(at, parts.get(at));
                default -> parts.set(at, token);
              }
              return String.join(" ", parts);
            });
  }

  private static final List<String> ACTION_WORDS =
      List.of("reply", "REPLY", "delay", "disconnect", "reset", "stall", "send", "tls-fail");

  private static final List<String> ARGUMENTS =
      List.of(
          "then",
          "THEN",
          "0",
          "1",
          "2",
          "007",
          "200",
          "250",
          "354",
          "554",
          "599",
          "600",
          "35",
          "2500",
          "abc",
          "2s",
          "500ms",
          "1m",
          "1.5s",
          "0.0005s",
          "-1s",
          "2h",
          "9223372036854775807ms",
          "9223372036854775808ms",
          "\"\"",
          "\"a b\"",
          "\"a\\\"b\"",
          "\"\\\\\"",
          "\"\\t\"",
          "\"\\r\\n\"",
          "\"\\x4\"",
          "\"\\xfF\"",
          "\"\\q\"",
          "\"#\"",
          "\"\u00E9\"",
          "\"\uD800\"",
          "\"",
          "\\",
          "#",
          ",",
          "\u00E9",
          "\uDE00");

  private static final List<String> TAILS =
      List.of(
          "once",
          "ONCE",
          "times",
          "TIMES",
          "on",
          "On",
          "1st",
          "2nd",
          "3rd",
          "4th",
          "11th",
          "2th",
          "11st",
          "0th",
          "2147483647th",
          "2147483648th",
          "0",
          "1",
          "2",
          "2147483648",
          "007",
          "<*@blocked.test>",
          "*",
          "?",
          "x-y",
          "\"\"",
          "\"on\"",
          "\"2\"",
          "\"a,b\"",
          "\"",
          "#",
          ",",
          "to",
          "then");

  private static final List<String> TOKENS =
      Stream.of(ACTION_WORDS, ARGUMENTS, TAILS, List.of("to", "after", "DATA", "HELP", "RCPT"))
          .flatMap(List::stream)
          .collect(Collectors.toList());

  /** Actions, "to" or "after", a trigger and a tail, each a soup of the likely tokens. */
  private static Arbitrary<String> ruleShapedSoup() {
    Arbitrary<String> action =
        Combinators.combine(Arbitraries.of(ACTION_WORDS), tokenSoup(ARGUMENTS, 4))
            .as((word, arguments) -> word + " " + arguments);
    Arbitrary<String> actions =
        action.list().ofMinSize(1).ofMaxSize(3).map(list -> String.join(", ", list));
    Arbitrary<String> phase = Arbitraries.of(" to ", " after ", " TO ", " ", ", ");
    Arbitrary<String> trigger =
        Arbitraries.of(
            "DATA", "bdat", "HELP", "RCPT", "MAIL", "CONNECT", "X-Y", "2", "\"DATA\"", "");
    return Combinators.combine(actions, phase, trigger, tokenSoup(TAILS, 4))
        .as((a, p, t, tail) -> a + p + t + " " + tail);
  }

  /** Up to {@code max} of the tokens in random order, with random blanks and line breaks. */
  private static Arbitrary<String> tokenSoup(List<String> tokens, int max) {
    Arbitrary<String> blanks =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(30, Arbitraries.just(" ")),
                Tuple.of(1, Arbitraries.of("", "\t", "\f", "\n", "\r\n", "\r"))));
    return Combinators.combine(Arbitraries.of(tokens), blanks)
        .as((token, blank) -> token + blank)
        .list()
        .ofMaxSize(max)
        .map(parts -> String.join("", parts).strip());
  }

  /** Valid rules with one character deleted, replaced or inserted. */
  private static Arbitrary<String> mutatedRules() {
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(3, Arbitraries.chars().with("\"\\#, \t\n0123456789xnrt-.")),
                Tuple.of(1, Arbitraries.chars().all())));
    return Combinators.combine(
            new ScriptParserPropertiesTest().rules().map(Rule::toString),
            Arbitraries.integers().between(0, 1000).withoutEdgeCases(),
            Arbitraries.integers().between(0, 2).withoutEdgeCases(),
            chars)
        .as(
            (text, where, how, c) -> {
              int at = where % (text.length() + 1);
              String before = text.substring(0, at);
              String rest = text.substring(at);
              return switch (how) {
                case 0 -> before + (rest.isEmpty() ? "" : rest.substring(1));
                case 1 -> before + c + (rest.isEmpty() ? "" : rest.substring(1));
                default -> before + c + rest;
              };
            });
  }
}
