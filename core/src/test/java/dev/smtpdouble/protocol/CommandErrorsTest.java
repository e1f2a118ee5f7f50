package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.sendMessage;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.NEED_RCPT;
import static dev.smtpdouble.testing.Replies.OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every sequence and syntax error with its exact reply, the informational commands, and that the
 * session goes on normally after each error.
 */
@Timeout(30)
class CommandErrorsTest {

  /** Sends the commands in order, expecting the replies, then shows the session still works. */
  private static void assertReplies(String... commandsAndReplies) {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      for (int i = 0; i < commandsAndReplies.length; i += 2) {
        client.send(commandsAndReplies[i]).expect(commandsAndReplies[i + 1]);
      }
      client.send("RSET").expect(OK);
      sendMessage(client, "after@example.test", List.of("error@example.test"), "still works");
      assertThat(take(smtp).from()).isEqualTo("after@example.test");
    }
  }

  @Test
  void rcptBeforeMail() {
    assertReplies("RCPT TO:<b@example.test>", NEED_MAIL);
  }

  @Test
  void dataBeforeMail() {
    assertReplies("DATA", NEED_MAIL);
  }

  @Test
  void dataBeforeRcpt() {
    assertReplies(
        "MAIL FROM:<a@example.test>", MAIL_OK, "DATA", NEED_RCPT);
  }

  @Test
  void nestedMail() {
    assertReplies(
        "MAIL FROM:<a@example.test>",
        MAIL_OK,
        "MAIL FROM:<b@example.test>",
        "503 5.5.1 Error: nested MAIL command");
  }

  @Test
  void bdatWithoutATransaction() {
    assertReplies("BDAT 0 LAST", NEED_MAIL);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "EHLO|501 5.5.4 Syntax: EHLO hostname",
        "HELO|501 5.5.4 Syntax: HELO hostname",
        "EHLO   |501 5.5.4 Syntax: EHLO hostname",
        "MAIL|501 5.5.4 Syntax: MAIL FROM:<address>",
        "MAIL <a@example.test>|501 5.5.4 Syntax: MAIL FROM:<address>",
        "MAIL TO:<a@example.test>|501 5.5.4 Syntax: MAIL FROM:<address>",
        "MAIL FROM|501 5.5.4 Syntax: MAIL FROM:<address>",
        "MAIL FROM:|501 5.5.4 Syntax: MAIL FROM:<address>",
        "MAIL FROM:<a@example.test|501 5.5.4 Syntax: MAIL FROM:<address>",
        "MAIL FROM:<a@example.test>x|501 5.5.4 Syntax: MAIL FROM:<address>",
        "MAIL FROM:<<a@example.test>>|501 5.5.4 Syntax: MAIL FROM:<address>",
        "VRFY|501 5.5.4 Syntax: VRFY address",
        "RSET now|501 5.5.4 Syntax error: no arguments allowed",
        "QUIT now|501 5.5.4 Syntax error: no arguments allowed",
        "DATA now|501 5.5.4 Syntax error: no arguments allowed",
        "FOO|500 5.5.2 Error: command not recognized",
        "MAILFROM:<a@example.test>|500 5.5.2 Error: command not recognized",
        "TURN|502 5.5.1 Error: command not implemented",
        "ETRN example.test|502 5.5.1 Error: command not implemented",
        "STARTTLS|502 5.5.1 Error: command not implemented",
        "AUTH PLAIN|503 5.5.1 Error: authentication not enabled",
        "EXPN staff|502 5.5.1 Error: EXPN not supported",
        "VRFY alice|252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery",
        "NOOP|250 2.0.0 Ok",
        "NOOP anything at all|250 2.0.0 Ok",
      })
  void eachCommandGetsItsReplyAndTheSessionGoesOn(String command, String reply) {
    assertReplies(command, reply);
  }

  @Test
  void rcptSyntaxErrorsInATransaction() {
    assertReplies(
        "MAIL FROM:<a@example.test>",
        MAIL_OK,
        "RCPT <b@example.test>",
        "501 5.5.4 Syntax: RCPT TO:<address>",
        "RCPT FROM:<b@example.test>",
        "501 5.5.4 Syntax: RCPT TO:<address>",
        "RCPT TO:<b@example.test",
        "501 5.5.4 Syntax: RCPT TO:<address>");
  }

  @Test
  void anEmptyOrBlankLineIsBadSyntax() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("\r\n").expect("500 5.5.2 Error: bad syntax");
      client.sendRaw("   \r\n").expect("500 5.5.2 Error: bad syntax");
      client.send("NOOP").expect(OK);
    }
  }

  @Test
  void helpIsAMultiLineReply() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client
          .send("HELP")
          .expectReply(
              "214-2.0.0 Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY",
              "214 2.0.0 See RFC 5321 for details");
      client
          .send("HELP MAIL")
          .expectReply(
              "214-2.0.0 Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY",
              "214 2.0.0 See RFC 5321 for details");
    }
  }

  @Test
  void quitIsAnsweredThenTheConnectionCloses() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("QUIT").expect(BYE);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
      assertThat(awaitEnded(smtp, 1).ending()).isEqualTo(Transcript.Ending.QUIT);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void commandsAfterQuitInTheSameWriteAreNotAnswered() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("QUIT\r\nNOOP\r\n").expect(BYE);
      assertThat(client.awaitEnd(2000)).isIn("EOF", "RESET");
    }
  }

  @Test
  void quitWorksBeforeEhlo() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(Replies.GREETING);
      client.send("QUIT").expect(BYE);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    }
  }
}
