package dev.smtpdouble.script;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static dev.smtpdouble.testing.Replies.SIZE_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
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
        client.expect(GREETING);
        client.send("HELO client.test").expect(HELO_OK);
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
        client.expect(GREETING);
        client.send("HELO client.test").expect(HELO_OK);
        client.send("DATA").expect(NEED_MAIL);
      }
      assertThat(smtp.unusedRules()).hasSize(1);
    }
  }

  @Test
  void replyThenInAnAfterBdatRuleAnswersTheChunks() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 250 \"chunk ok\" then 554 \"5.7.1 no\" after BDAT");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect(GREETING);
        client.ehlo("client.test");
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.sendRaw("BDAT 5\r\nhello").expect("250 chunk ok");
        client.sendRaw("BDAT 6 LAST\r\n world").expect("554 5.7.1 no");
        client.send("NOOP").expect(OK);
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
        client.expect(GREETING);
        client.ehlo("client.test");
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.sendRaw("BDAT 3\r\nabc").expect("452 4.3.1 Try that chunk again");
        client.sendRaw("BDAT 3 LAST\r\ndef").expect(QUEUED);
      }
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).rawText()).isEqualTo("def");
    }
  }

  @Test
  void anOversizedMessageIsAnswered552ButKeptWhole() {
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(100).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354");
      String body = "x".repeat(300) + "\r\n";
      client.sendRaw(body + ".\r\n").expect(SIZE_EXCEEDED);
      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.truncated()).isFalse();
      assertThat(message.rawText()).isEqualTo(body);
      assertThat(message.accepted()).isFalse();
    }
  }
}
