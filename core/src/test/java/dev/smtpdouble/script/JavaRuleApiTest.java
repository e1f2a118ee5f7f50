package dev.smtpdouble.script;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.Command;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Rule;
import dev.smtpdouble.RuleBuilder;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java rule API reads as the script does and registers the same immutable rule values: each
 * SPEC §4 example built in Java equals the parsed line and prints as it; a builder keeps updating
 * its one registered rule in place.
 */
@Timeout(30)
class JavaRuleApiTest {
  private SmtpDouble smtp;

  @BeforeEach
  void start() {
    smtp = SmtpDouble.start();
  }

  @AfterEach
  void stop() {
    smtp.close();
  }

  @ParameterizedTest
  @EnumSource(SpecExample.class)
  void theJavaFormOfEachExampleIsTheParsedRule(SpecExample example) {
    RuleBuilder builder = example.java.apply(smtp);

    Rule parsed = Rule.parse(example.text);
    assertThat(builder.rule()).isEqualTo(parsed).hasSameHashCodeAs(parsed);
    assertThat(builder.rule().toString()).isEqualTo(example.text);
    assertThat(builder.toString()).isEqualTo(example.text);
    assertThat(Rule.parse(builder.rule().toString())).isEqualTo(builder.rule());
    assertThat(smtp.rules()).containsExactly(parsed);
  }

  @Test
  void dataWithThenInAToRuleReadsAsTheJavadocSays() throws Exception {
    RuleBuilder builder = smtp.on(Command.DATA).reply(354).then(554, "5.7.1 Rejected");

    assertThat(builder.rule())
        .isEqualTo(Rule.parse("reply 354 then 554 \"5.7.1 Rejected\" to DATA"));
    Throwable thrown = catchThrowable(() -> Jakarta.send(smtp, "Rejected", "alice@example.test"));
    assertThat(thrown).hasMessageContaining("554 5.7.1 Rejected");
    ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
    assertThat(message.accepted()).isFalse();
    assertThat(message.reply().orElseThrow().code()).isEqualTo(554);
  }

  @Test
  void aRuleIsRegisteredWithItsFirstActionOnly() {
    RuleBuilder empty = smtp.on(Command.HELP);

    assertThat(smtp.rules()).isEmpty();
    assertThat(empty).hasToString("(no action yet) to HELP");
    assertThatThrownBy(empty::rule)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no action yet");
    RuleBuilder counted = empty.once();
    assertThat(smtp.rules()).isEmpty();

    counted.reply(211);
    assertThat(smtp.rules()).containsExactly(Rule.parse("reply 211 to HELP once"));
  }

  @Test
  void furtherCallsUpdateTheSameRuleInPlaceKeepingItsAge() {
    RuleBuilder older = smtp.on(Command.HELP).reply(211, "older");
    smtp.on(Command.HELP).reply(211, "newer").once();
    older.delay(Duration.ofMillis(1)).times(5);

    assertThat(smtp.rules())
        .containsExactly(
            Rule.parse("reply 211 \"older\", delay 1ms to HELP 5 times"),
            Rule.parse("reply 211 \"newer\" to HELP once"));
    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      // the newer rule is still the newer one, although the older was changed after it was added
      client.send("HELP").expect("211 newer");
      client.send("HELP").expect("211 older");
    }
  }

  @Test
  void anUpdateKeepsTheCountSoFar() {
    RuleBuilder rule = smtp.on(Command.NOOP).reply(250, "scripted");
    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("NOOP").expect("250 scripted");
      rule.nth(2);
      client.send("NOOP").expect("250 scripted");
      client.send("NOOP").expect(OK);
    }
    assertThat(smtp.rules()).containsExactly(Rule.parse("reply 250 \"scripted\" to NOOP on 2nd"));
  }

  @Test
  void branchingFromOneBuilderStillUpdatesTheOneRule() {
    RuleBuilder base = smtp.on(Command.VRFY, "alice*").reply(252, "maybe");
    RuleBuilder once = base.once();
    RuleBuilder thrice = base.times(3);

    assertThat(once.rule()).isEqualTo(Rule.parse("reply 252 \"maybe\" to VRFY alice* once"));
    assertThat(thrice.rule()).isEqualTo(Rule.parse("reply 252 \"maybe\" to VRFY alice* 3 times"));
    assertThat(smtp.rules()).containsExactly(thrice.rule());
    assertThat(base.times(1).rule()).isEqualTo(once.rule());
  }

  @Test
  void aRejectedUpdateLeavesTheRegisteredRuleAsItWas() {
    RuleBuilder help = smtp.on(Command.HELP).reply(211);

    assertThatThrownBy(() -> help.then(554))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATA or BDAT");
    assertThatThrownBy(() -> smtp.on(Command.DATA).stall().then(554))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reply(354)");
    assertThatThrownBy(() -> help.reply(199)).isInstanceOf(IllegalArgumentException.class);
    assertThat(smtp.rules())
        .containsExactly(Rule.parse("reply 211 to HELP"), Rule.parse("stall to DATA"));
  }

  @Test
  void anEmptyPatternIsRefused() {
    assertThatThrownBy(() -> smtp.on(Command.RCPT, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pattern cannot be empty");
  }

  @Test
  void otherFormsMatchTheirText() {
    assertThat(smtp.after(Command.RCPT, "*@x.test").reply(250, "extra").rule())
        .isEqualTo(Rule.parse("reply 250 \"extra\" after RCPT *@x.test"));
    assertThat(smtp.on("xclient").reply(250).rule()).isEqualTo(Rule.parse("reply 250 to XCLIENT"));
    assertThat(smtp.on(Command.NOOP).send(new byte[] {(byte) 0xFF, 'x', '\r', '\n'}).rule())
        .isEqualTo(Rule.parse("send \"\\xffx\\r\\n\" to NOOP"))
        .hasToString("send \"\\xFFx\\r\\n\" to NOOP");
    assertThat(smtp.on(Command.MAIL).delay(Duration.ofMinutes(2)).rule())
        .hasToString("delay 2m to MAIL");
    assertThat(smtp.on(Command.MAIL).delay(Duration.ofMillis(1500)).rule())
        .hasToString("delay 1500ms to MAIL");
    assertThat(smtp.on(Command.RCPT).reply(451).nth(11).rule())
        .hasToString("reply 451 to RCPT on 11th");
    assertThat(smtp.on(Command.RCPT).reply(451).nth(22).rule())
        .hasToString("reply 451 to RCPT on 22nd");
    assertThat(smtp.on(Command.QUIT).reply(221, "a", "b").disconnect().rule())
        .isEqualTo(Rule.parse("reply 221 \"a\" \"b\", disconnect to QUIT"));
  }

  @Test
  void addAndScriptRegisterTheSameValues() {
    Rule rule = Rule.parse("reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>");
    smtp.add(rule);
    smtp.script(rule.toString());

    assertThat(smtp.rules()).containsExactly(rule, rule);
    assertThatThrownBy(() -> smtp.rules().add(rule))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
