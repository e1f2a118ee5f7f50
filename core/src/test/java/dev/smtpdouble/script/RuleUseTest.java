package dev.smtpdouble.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Rule;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A rule counts as used only once the double carried it out; BDAT's reply pairs. */
@Timeout(30)
class RuleUseTest {

  @Test
  void anAfterRuleBehindA421IsStillUnused() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 421 to MAIL", "disconnect after MAIL");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect("220 localhost ESMTP");
        client.send("HELO client.test").expect("250 localhost");
        client.send("MAIL FROM:<a@example.test>").expectStart("421");
        assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
      }
      assertThat(smtp.unusedRules()).containsExactly(Rule.parse("disconnect after MAIL"));
    }
  }

  @Test
  void anAfterDataRuleIsUnusedWhenDataIsRefused() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("disconnect after DATA");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect("220 localhost ESMTP");
        client.send("HELO client.test").expect("250 localhost");
        client.send("DATA").expect("503 5.5.1 Error: need MAIL command");
      }
      assertThat(smtp.unusedRules()).hasSize(1);
    }
  }

  @Test
  void replyThenInAnAfterBdatRuleAnswersTheChunks() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 250 \"chunk ok\" then 554 \"5.7.1 no\" after BDAT");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect("220 localhost ESMTP");
        client.ehlo("client.test");
        client.send("MAIL FROM:<a@example.test>").expect("250 2.1.0 Ok");
        client.send("RCPT TO:<b@example.test>").expect("250 2.1.5 Ok");
        client.sendRaw("BDAT 5\r\nhello").expect("250 chunk ok");
        client.sendRaw("BDAT 6 LAST\r\n world").expect("554 5.7.1 no");
        client.send("NOOP").expect("250 2.0.0 Ok");
      }
      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.rawText()).isEqualTo("hello world");
      assertThat(message.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(554));
      assertThat(smtp.unusedRules()).isEmpty();
    }
  }

  @Test
  void aChunkRefusedByTheScriptIsNotPartOfTheMessage() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 452 \"4.3.1 Try that chunk again\" to BDAT once");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect("220 localhost ESMTP");
        client.ehlo("client.test");
        client.send("MAIL FROM:<a@example.test>").expect("250 2.1.0 Ok");
        client.send("RCPT TO:<b@example.test>").expect("250 2.1.5 Ok");
        client.sendRaw("BDAT 3\r\nabc").expect("452 4.3.1 Try that chunk again");
        client.sendRaw("BDAT 3 LAST\r\ndef").expect("250 2.0.0 Ok: queued");
      }
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).rawText()).isEqualTo("def");
    }
  }

  @Test
  void anOversizedMessageIsAnswered552ButKeptWhole() {
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(100).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      client.ehlo("client.test");
      client.send("MAIL FROM:<a@example.test>").expect("250 2.1.0 Ok");
      client.send("RCPT TO:<b@example.test>").expect("250 2.1.5 Ok");
      client.send("DATA").expectStart("354");
      String body = "x".repeat(300) + "\r\n";
      client.sendRaw(body + ".\r\n").expect("552 5.3.4 Message size exceeds fixed limit");
      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.truncated()).isFalse();
      assertThat(message.rawText()).isEqualTo(body);
      assertThat(message.accepted()).isFalse();
    }
  }
}
