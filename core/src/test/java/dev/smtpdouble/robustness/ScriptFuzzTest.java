package dev.smtpdouble.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import dev.smtpdouble.SmtpDouble;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The script parser with large inputs, the gap {@code internal/script/ScriptParserPropertiesTest}
 * (texts of up to 40 characters) leaves: scripts of up to about 64 KiB, with thousands of lines
 * or actions, long texts full of escapes and long runs of digits, fed to a running double. Each
 * parses (and every rule survives its text) or fails with a {@link ScriptException}, quickly, and
 * a failing script adds none of its rules.
 */
class ScriptFuzzTest {
  private static SmtpDouble smtp;
  private static final AtomicLong CHARACTERS = new AtomicLong();
  private static final AtomicLong PARSED = new AtomicLong();
  private static final AtomicLong REFUSED = new AtomicLong();
  private static final AtomicLong SLOWEST = new AtomicLong();

  @BeforeContainer
  static void start() {
    smtp = SmtpDouble.builder().script("reply 211 \"started with\" to HELP").start();
  }

  @AfterContainer
  static void stop() {
    smtp.close();
    Robustness.report(
        "ScriptFuzzTest: %d large scripts (%d characters), %d parsed, %d refused with a"
            + " ScriptException, the slowest in %d ms",
        PARSED.get() + REFUSED.get(),
        CHARACTERS.get(),
        PARSED.get(),
        REFUSED.get(),
        SLOWEST.get());
  }

  @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
  @FullTries(3000)
  void aLargeScriptParsesOrFailsWithAScriptExceptionQuickly(@ForAll("scripts") String script) {
    CHARACTERS.addAndGet(script.length());
    List<Rule> before = smtp.rules();
    long start = System.nanoTime();
    try {
      smtp.script(script);
      long millis = Robustness.millisSince(start);
      SLOWEST.accumulateAndGet(millis, Math::max);
      PARSED.incrementAndGet();
      List<Rule> added = smtp.rules().subList(before.size(), smtp.rules().size());
      for (Rule rule : added) {
        assertThat(Rule.parse(rule.toString())).isEqualTo(rule);
      }
      assertThat(millis).as("ms to parse %d characters", script.length()).isLessThan(2000);
    } catch (ScriptException e) {
      long millis = Robustness.millisSince(start);
      SLOWEST.accumulateAndGet(millis, Math::max);
      REFUSED.incrementAndGet();
      assertThat(smtp.rules()).as("the rules after a refused script").isEqualTo(before);
      assertThat(e.line()).isPositive();
      assertThat(e.getMessage()).startsWith("line " + e.line() + ", column " + e.column() + ": ");
      assertThat(millis).as("ms to refuse %d characters", script.length()).isLessThan(2000);
    } finally {
      smtp.reset(); // drops the rules added since start
    }
    assertThat(smtp.rules()).hasSize(1);
  }

  @Provide
  Arbitrary<String> scripts() {
    Arbitrary<String> valid =
        Arbitraries.of(
            "reply 211 to HELP",
            "reply 354 then 554 \"5.7.1 Rejected\" after DATA",
            "reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>",
            "delay 5ms, reply 250 to MAIL once",
            "reset to RCPT on 2nd",
            "send \"250 ok\\r\\n250 surprise\\r\\n\" to NOOP",
            "reply 451 to RCPT 3 times  # greylisting",
            "   # a comment",
            "");
    Arbitrary<String> longText =
        Combinators.combine(
                Arbitraries.of("\\\\", "\\\"", "\\t", "\\x41", "a", " ", "#", ",", "\u00e9", "\\q")
                    .list()
                    .ofMinSize(100)
                    .ofMaxSize(8000)
                    .map(parts -> String.join("", parts)),
                Arbitraries.of("\"", ""))
            .as((text, close) -> "reply 250 \"" + text + close + " to HELP");
    Arbitrary<String> manyActions =
        Combinators.combine(
                Arbitraries.of("delay 1ms", "reply 250", "send \"x\"", "disconnect", ",")
                    .list()
                    .ofMinSize(10)
                    .ofMaxSize(2000),
                Arbitraries.of(" to NOOP", " after DATA", "", " to"))
            .as((actions, tail) -> String.join(", ", actions) + tail);
    Arbitrary<String> digits =
        Combinators.combine(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20_000),
                Arbitraries.of(
                    "reply 250 to HELP %s times",
                    "reply 250 to HELP on %sth",
                    "delay %sms to HELP",
                    "reply %s to HELP",
                    "delay %s.5s to HELP"))
            .as((number, shape) -> String.format(shape, number));
    Arbitrary<String> garbage =
        Arbitraries.strings().all().ofMaxLength(2000);
    Arbitrary<String> line =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(20, valid),
                Tuple.of(1, longText),
                Tuple.of(1, manyActions),
                Tuple.of(1, digits),
                Tuple.of(1, garbage)));
    return Combinators.combine(
            line.list().ofMinSize(1).ofMaxSize(400), Arbitraries.of("\n", "\r\n", "\r"))
        .as((lines, end) -> String.join(end, lines));
  }
}
