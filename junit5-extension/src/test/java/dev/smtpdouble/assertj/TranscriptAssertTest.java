package dev.smtpdouble.assertj;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.ReplyCode;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Assertions on a transcript: exchanges paired in SMTP's order, commands, lines, sessions. */
@Timeout(60)
@SmtpServer
class TranscriptAssertTest {

  @Test
  void exchangesPairEachCommandWithItsReply(SmtpDouble smtp) {
    smtp.script("reply 354 then 554 \"5.7.1 Rejected\" after DATA");
    RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "Hi", "Hello");
    smtp.takeMessage(java.time.Duration.ofSeconds(5));

    assertThat(smtp.transcript())
        .containsExchange("CONNECT", 220)
        .containsExchange("ehlo", 250)
        .containsExchange("MAIL", 250)
        .containsExchange("DATA", 354)
        .containsExchange("DATA", 554)
        .containsExchange("QUIT", 221)
        .containsCommandsInOrder("EHLO", "MAIL", "RCPT", "DATA", "QUIT")
        .doesNotContainCommand("RSET")
        .containsLine("C: EHLO client.test")
        .containsLine("S: 554 5.7.1 Rejected")
        .hasSessions(1);
  }

  @Test
  void pipelinedCommandsArePairedInOrder(SmtpDouble smtp) {
    smtp.script("reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>");
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("EHLO client.test");
      wire.sendRaw(
          "MAIL FROM:<a@example.test>\r\n"
              + "RCPT TO:<x@blocked.test>\r\n"
              + "RCPT TO:<y@example.test>\r\n"
              + "NOOP\r\n");
      for (int i = 0; i < 4; i++) {
        wire.replyText();
      }
      wire.command("QUIT");
    }

    Transcript transcript = smtp.transcript();
    assertThat(transcript).containsExchange("RCPT", 550).containsExchange("NOOP", 250);
    assertThatThrownBy(() -> assertThat(transcript).containsExchange("MAIL", 550))
        .hasMessage(
            "Expecting the transcript to contain a MAIL command answered with:\n"
                + "  %s\n"
                + "but a MAIL command was answered:\n"
                + "  session 1: C: MAIL FROM:<a@example.test> -> S: 250 2.1.0 Ok\n"
                + "where:\n"
                + "  %s",
            ReplyCode.of(550).summary(), ReplyCode.of(250).summary());
    assertThatThrownBy(() -> assertThat(transcript).containsExchange("RCPT", 452))
        .hasMessage(
            "Expecting the transcript to contain a RCPT command answered with:\n"
                + "  %s\n"
                + "but 2 RCPT exchanges were answered:\n"
                + "  session 1: C: RCPT TO:<x@blocked.test> -> S: 550 5.1.1 No such user\n"
                + "  session 1: C: RCPT TO:<y@example.test> -> S: 250 2.1.5 Ok\n"
                + "where:\n"
                + "  %s\n"
                + "  %s",
            ReplyCode.of(452).summary(), ReplyCode.of(550).summary(), ReplyCode.of(250).summary());
  }

  @Test
  void aVerbNeverSentListsEveryExchange(SmtpDouble smtp) {
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("EHLO client.test");
      wire.command("QUIT");
    }

    assertThatThrownBy(() -> assertThat(smtp.transcript()).containsExchange("DATA", 354))
        .hasMessage(
            "Expecting the transcript to contain a DATA command answered with:\n"
                + "  %s\n"
                + "but the client never sent DATA; the exchanges were:\n"
                + "  session 1: (greeting) -> S: 220 localhost ESMTP\n"
                + "  session 1: C: EHLO client.test -> S: 250-localhost | ... | 250 DSN\n"
                + "  session 1: C: QUIT -> S: 221 2.0.0 Bye",
            ReplyCode.of(354).summary());
  }

  @Test
  void chunksAreAnsweredAfterTheirData(SmtpDouble smtp) {
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("EHLO client.test");
      wire.command("MAIL FROM:<a@example.test>");
      wire.command("RCPT TO:<b@example.test>");
      String chunk = "Subject: x\r\n\r\nbody\r\n";
      wire.sendRaw("BDAT " + chunk.length() + " LAST\r\n" + chunk);
      wire.replyText();
    }

    assertThat(smtp.transcript()).containsExchange("BDAT", 250);
  }

  @Test
  void commandOrderFailuresSayWhereTheOrderBroke(SmtpDouble smtp) {
    RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "Hi", "Hello");

    assertThatThrownBy(
            () -> assertThat(smtp.transcript()).containsCommandsInOrder("EHLO", "DATA", "MAIL"))
        .hasMessage(
            "Expecting the client's commands\n"
                + "  [EHLO, MAIL, RCPT, DATA, QUIT]\n"
                + "to contain, in this order:\n"
                + "  [EHLO, DATA, MAIL]\n"
                + "but MAIL could not be found after [EHLO, DATA]");
    assertThatThrownBy(() -> assertThat(smtp.transcript()).doesNotContainCommand("rcpt"))
        .hasMessage(
            "Expecting the client's commands\n"
                + "  [EHLO, MAIL, RCPT, DATA, QUIT]\n"
                + "not to contain:\n"
                + "  RCPT\n"
                + "but it was sent 1 time(s)");
  }

  @Test
  void lineAndSessionFailuresShowTheTranscript(SmtpDouble smtp) {
    try (RawClient wire = RawClient.greeted(smtp)) {
      wire.command("NOOP");
      wire.command("QUIT");
    }
    Transcript transcript = smtp.transcript();

    assertThatThrownBy(() -> assertThat(transcript).containsLine("C: HELO client.test"))
        .hasMessageStartingWith(
            "Expecting the transcript to contain the line:\n"
                + "  C: HELO client.test\n"
                + "but it was:\n"
                + "  === session 1 from 127.0.0.1:")
        .hasMessageEndingWith(
            "  S: 220 localhost ESMTP\n"
                + "  C: NOOP\n"
                + "  S: 250 2.0.0 Ok\n"
                + "  C: QUIT\n"
                + "  S: 221 2.0.0 Bye");
    assertThatThrownBy(() -> assertThat(transcript).hasSessions(2))
        .hasMessageStartingWith(
            "Expecting the transcript to have:\n  2 session(s)\nbut it had:\n  1\n"
                + "  === session 1 from 127.0.0.1:");
  }
}
