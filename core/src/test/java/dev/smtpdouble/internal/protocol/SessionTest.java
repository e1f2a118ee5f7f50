package dev.smtpdouble.internal.protocol;

import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.TLS_READY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.Action;
import dev.smtpdouble.Extension;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session as a state machine, with no socket: lines in through a {@link MemoryWire}, replies,
 * recorded messages, violations and the faults asked of the wire out.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SessionTest {

  private static SmtpDouble.Builder plain() {
    return SmtpDouble.builder().extensions(Extension.SIZE, Extension.EIGHT_BIT_MIME);
  }

  @Test
  void aWholeTransactionIsAnsweredAndRecordedOnce() {
    MemoryWire wire =
        new MemoryWire(plain())
            .send("HELO client.test")
            .send("MAIL FROM:<a@example.test>")
            .send("RCPT TO:<b@example.test>")
            .send("DATA")
            .send("Subject: hi", "", "body", ".")
            .send("QUIT");

    assertThat(wire.run()).isEqualTo(Ending.QUIT);

    assertThat(wire.sentLines())
        .containsExactly(
            GREETING,
            HELO_OK,
            "250 Ok",
            "250 Ok",
            DATA_GO,
            "250 Ok: queued",
            "221 Bye");
    assertThat(wire.messages).hasSize(1);
    CapturedMessage message = wire.messages.get(0);
    assertThat(message.from()).isEqualTo("a@example.test");
    assertThat(message.recipients()).containsExactly("b@example.test");
    assertThat(message.heloName()).isEqualTo("client.test");
    assertThat(message.reply().code()).isEqualTo(250);
    assertThat(new String(message.data().bytes(), StandardCharsets.UTF_8))
        .isEqualTo("Subject: hi\r\n\r\nbody\r\n");
    assertThat(wire.violations).isEmpty();
    assertThat(wire.closed).isTrue();
  }

  @Test
  void aRefusedRecipientLeavesNoRecipientForData() {
    MemoryWire wire =
        new MemoryWire(plain(), "reply 550 \"5.1.1 No such user\" to RCPT")
            .send("HELO client.test")
            .send("MAIL FROM:<a@example.test>")
            .send("RCPT TO:<nobody@example.test>")
            .send("DATA")
            .send("QUIT");

    wire.run();

    assertThat(wire.sentLines())
        .containsSubsequence(
            "550 5.1.1 No such user", "503 Error: need RCPT command", "221 Bye");
    assertThat(wire.messages).isEmpty();
    assertThat(wire.violations).containsExactly(Violation.Kind.DATA_WITHOUT_RECIPIENT);
  }

  @Test
  void replyThenSplitsBetweenDataAndTheEndOfData() {
    MemoryWire wire =
        new MemoryWire(plain(), "reply 354 \"Go on\" then 554 \"5.7.1 Spam\" after DATA")
            .send("HELO c")
            .send("MAIL FROM:<a@example.test>")
            .send("RCPT TO:<b@example.test>")
            .send("DATA")
            .send("body", ".")
            .send("QUIT");

    wire.run();

    assertThat(wire.sentLines()).containsSubsequence("354 Go on", "554 5.7.1 Spam", "221 Bye");
    assertThat(wire.messages).singleElement().satisfies(m -> assertThat(m.reply().code()).isEqualTo(554));
  }

  @Test
  void aFaultAfterDataAnswersTheEndOfDataAndTheMessageIsRecordedWithoutReply() {
    MemoryWire wire =
        new MemoryWire(plain(), "disconnect after DATA")
            .send("HELO c")
            .send("MAIL FROM:<a@example.test>")
            .send("RCPT TO:<b@example.test>")
            .send("DATA")
            .send("body", ".");

    assertThat(wire.run()).isEqualTo(Ending.SCRIPT_DISCONNECT);

    assertThat(wire.effects).containsExactly(new Action.Disconnect());
    assertThat(wire.sentLines()).last().asString().startsWith("354");
    assertThat(wire.messages).singleElement().satisfies(m -> assertThat(m.reply()).isNull());
  }

  @Test
  void delaysGoToTheWireAndTheNormalReplyStillFollows() {
    MemoryWire wire =
        new MemoryWire(plain(), "delay 2s to NOOP").send("NOOP").send("QUIT");

    wire.run();

    assertThat(wire.effects).containsExactly(new Action.Delay(Duration.ofSeconds(2)));
    assertThat(wire.sentLines()).containsExactly(GREETING, "250 Ok", "221 Bye");
  }

  @Test
  void aTrickleToConnectAsksTheWireToSlowTheNormalGreeting() {
    MemoryWire wire = new MemoryWire(plain(), "trickle 10 to CONNECT").send("QUIT");

    wire.run();

    assertThat(wire.effects).containsExactly(new Action.Trickle(10));
    assertThat(wire.sentLines()).containsExactly(GREETING, "221 Bye");
  }

  @Test
  void a421EndsTheSessionAfterTheReplyAndSkipsTheAfterRule() {
    MemoryWire wire =
        new MemoryWire(plain(), "reply 421 to MAIL", "reset after MAIL")
            .send("HELO c")
            .send("MAIL FROM:<a@example.test>")
            .send("RCPT TO:<b@example.test>");

    assertThat(wire.run()).isEqualTo(Ending.CLOSED_AFTER_421);

    assertThat(wire.sentLines()).last().asString().startsWith("421");
    assertThat(wire.effects).isEmpty();
    assertThat(wire.closed).isTrue();
  }

  @Test
  void commandsSentAheadWithoutPipeliningAreAViolation() {
    MemoryWire wire =
        new MemoryWire(plain())
            .send("HELO c")
            .send("MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>")
            .send("QUIT");

    wire.run();

    assertThat(wire.violations).containsExactly(Violation.Kind.PIPELINING_NOT_OFFERED);
  }

  @Test
  void starttlsAsksTheWireForTheHandshakeAndForgetsTheGreeting() {
    MemoryWire wire =
        new MemoryWire(SmtpDouble.builder().tls(dev.smtpdouble.Tls.starttls()))
            .send("EHLO c")
            .send("STARTTLS")
            .send("MAIL FROM:<a@example.test>")
            .send("QUIT");

    wire.run();

    assertThat(wire.tls).isTrue();
    assertThat(wire.sentLines()).contains(TLS_READY);
    assertThat(wire.violations).contains(Violation.Kind.MAIL_BEFORE_HELO);
  }

  @Test
  void tlsFailIsHandedToTheHandshake() {
    MemoryWire wire =
        new MemoryWire(SmtpDouble.builder().tls(dev.smtpdouble.Tls.starttls()), "tls-fail to STARTTLS")
            .send("EHLO c")
            .send("STARTTLS");

    assertThat(wire.run()).isEqualTo(Ending.TLS_FAILED);
    assertThat(wire.effects).containsExactly(new Action.TlsFail());
  }

  @Test
  void theEndOfInputWithoutQuitIsAViolation() {
    MemoryWire wire = new MemoryWire(plain()).send("HELO c");

    assertThat(wire.run()).isEqualTo(Ending.CLIENT_CLOSED);
    assertThat(wire.violations).containsExactly(Violation.Kind.CLOSED_WITHOUT_QUIT);
  }
}
