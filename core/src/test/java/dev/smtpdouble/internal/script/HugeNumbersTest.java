package dev.smtpdouble.internal.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.Action;
import dev.smtpdouble.Count;
import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A megabyte of digits is refused at once, not after a quadratic parse. */
@Timeout(5)
class HugeNumbersTest {
  private static final String DIGITS = "9".repeat(1_000_000);

  @Test
  void aHugeCount() {
    assertThatThrownBy(() -> Rule.parse("reply 421 to MAIL " + DIGITS + " times"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("a number of times from 1 to 2147483647");
  }

  @Test
  void aHugeOrdinal() {
    assertThatThrownBy(() -> Rule.parse("reset to RCPT on " + DIGITS + "th"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("an ordinal from 1st to 2147483647th");
  }

  @Test
  void aHugeDelay() {
    assertThatThrownBy(() -> Rule.parse("delay " + DIGITS + "ms to MAIL"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("a duration of at most");
  }

  @Test
  void leadingZerosStillWork() {
    Rule times = Rule.parse("reply 421 to MAIL 0000000000000000000002 times");
    assertThat(times.count()).isEqualTo(Count.times(2));
    assertThat(times).hasToString("reply 421 to MAIL 2 times");

    Rule nth = Rule.parse("reset to RCPT on 000000000000000000003rd");
    assertThat(nth.count()).isEqualTo(Count.nth(3));

    Rule delay = Rule.parse("delay 00000000000000000000250ms to MAIL");
    assertThat(delay.actions()).containsExactly(new Action.Delay(Duration.ofMillis(250)));
  }

  @Test
  void theLargestCountsThatFitAreKeptExactly() {
    assertThat(Rule.parse("reply 421 to MAIL 2147483647 times").count())
        .isEqualTo(Count.times(Integer.MAX_VALUE));
    assertThat(Rule.parse("reset to RCPT on 2147483647th").count())
        .isEqualTo(Count.nth(Integer.MAX_VALUE));
    assertThatThrownBy(() -> Rule.parse("reply 421 to MAIL 2147483648 times"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("a number of times from 1 to 2147483647");
  }
}
