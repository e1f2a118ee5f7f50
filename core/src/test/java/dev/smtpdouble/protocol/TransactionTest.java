package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.sendMessage;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.NEED_RCPT;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Reply;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whole mail transactions: envelopes, RSET, several messages, paths and their parameters. */
@Timeout(30)
class TransactionTest {

  @Test
  void aMessageToSeveralRecipientsIsRecordedWithItsEnvelope() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendMessage(
          client,
          "alice@example.test",
          List.of("bob@example.test", "carol@example.test", "dave@example.test"),
          "Subject: Hello",
          "",
          "Hi all");
      client.send("QUIT").expect(BYE);

      ReceivedMessage message = take(smtp);
      assertThat(message.from()).isEqualTo("alice@example.test");
      assertThat(message.recipients())
          .containsExactly("bob@example.test", "carol@example.test", "dave@example.test");
      assertThat(message.data()).isEqualTo("Subject: Hello\r\n\r\nHi all\r\n".getBytes(US_ASCII));
      assertThat(message.subject()).isEqualTo("Hello");
      assertThat(message.accepted()).isTrue();
      assertThat(message.reply()).contains(Reply.of(250, "2.0.0 Ok: queued"));
      assertThat(message.mailParameters()).isEmpty();
      assertThat(message.recipientParameters("bob@example.test")).isEmpty();
      assertThat(message.chunked()).isFalse();
      assertThat(message.truncated()).isFalse();
      assertThat(message.sessionNumber()).isEqualTo(1);
      assertThat(message.transactionNumber()).isEqualTo(1);
    }
  }

  @Test
  void rsetAbortsTheTransaction() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<old@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<old-rcpt@example.test>").expect(RCPT_OK);
      client.send("RSET").expect(OK);
      client.send("RCPT TO:<x@example.test>").expect(NEED_MAIL);
      client.send("DATA").expect(NEED_MAIL);
      client.send("RSET").expect(OK);
      sendMessage(client, "new@example.test", List.of("new-rcpt@example.test"), "body");

      ReceivedMessage message = take(smtp);
      assertThat(message.from()).isEqualTo("new@example.test");
      assertThat(message.recipients()).containsExactly("new-rcpt@example.test");
      assertThat(message.transactionNumber()).isEqualTo(1);
    }
  }

  @Test
  void severalMessagesOnOneConnectionAreNumberedAndAConnectionLaterGetsTheNextSession() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      try (RawClient client = greeted(smtp)) {
        for (int i = 1; i <= 3; i++) {
          sendMessage(
              client, "s" + i + "@example.test", List.of("r" + i + "@example.test"), "n " + i);
        }
        client.send("QUIT").expect(BYE);
      }
      try (RawClient client = greeted(smtp)) {
        sendMessage(client, "s4@example.test", List.of("r4@example.test"), "n 4");
      }
      for (int i = 1; i <= 3; i++) {
        ReceivedMessage message = take(smtp);
        assertThat(message.from()).isEqualTo("s" + i + "@example.test");
        assertThat(message.recipients()).containsExactly("r" + i + "@example.test");
        assertThat(message.data()).isEqualTo(("n " + i + "\r\n").getBytes(US_ASCII));
        assertThat(message.sessionNumber()).isEqualTo(1);
        assertThat(message.transactionNumber()).isEqualTo(i);
      }
      ReceivedMessage fourth = take(smtp);
      assertThat(fourth.sessionNumber()).isEqualTo(2);
      assertThat(fourth.transactionNumber()).isEqualTo(1);
      assertThat(smtp.messages()).hasSize(4);
    }
  }

  @Test
  void theNullSenderIsAccepted() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<>").expect(MAIL_OK);
      client.send("RCPT TO:<postmaster@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("bounce\r\n.\r\n").expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.from()).isEmpty();
      assertThat(message.recipients()).containsExactly("postmaster@example.test");
    }
  }

  @Test
  void theNullRecipientIsRefused() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<>").expect("501 5.1.3 Bad recipient address syntax");
      client.send("DATA").expect(NEED_RCPT);
    }
  }

  @Test
  void aSourceRouteIsDropped() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<@relay.test,@hop.test:alice@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<@relay.test:bob@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.from()).isEqualTo("alice@example.test");
      assertThat(message.recipients()).containsExactly("bob@example.test");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MAIL FROM: <a@example.test>|RCPT TO: <b@example.test>",
        "mail from:<a@example.test>|rcpt to:<b@example.test>",
        "MAIL FROM:a@example.test|RCPT TO:b@example.test",
        "MAIL FROM : <a@example.test>|RCPT TO :  <b@example.test>",
      })
  void pathsAreParsedLeniently(String mail, String rcpt) {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send(mail).expect(MAIL_OK);
      client.send(rcpt).expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.from()).isEqualTo("a@example.test");
      assertThat(message.recipients()).containsExactly("b@example.test");
    }
  }

  @Test
  void aQuotedLocalPartMayHoldAnAngleBracket() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<\"odd>name\"@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).from()).isEqualTo("\"odd>name\"@example.test");
    }
  }

  @Test
  void everyMailAndRcptParameterIsRecorded() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client
          .send(
              "MAIL FROM:<a@example.test> size=20 BODY=8BITMIME SMTPUTF8 RET=HDRS"
                  + " ENVID=QQ314159+2Bx")
          .expect(MAIL_OK);
      client
          .send("RCPT TO:<b@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.test")
          .expect(RCPT_OK);
      client.send("RCPT TO:<c@example.test> NOTIFY=NEVER").expect(RCPT_OK);
      client.send("RCPT TO:<d@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("Subject: p\r\n\r\nbody\r\n.\r\n").expect(QUEUED);

      ReceivedMessage message = take(smtp);
      assertThat(message.mailParameters())
          .containsExactly(
              entry("SIZE", "20"),
              entry("BODY", "8BITMIME"),
              entry("SMTPUTF8", ""),
              entry("RET", "HDRS"),
              entry("ENVID", "QQ314159+2Bx"));
      assertThat(message.bodyType()).contains("8BITMIME");
      assertThat(message.smtpUtf8()).isTrue();
      assertThat(message.recipientParameters("b@example.test"))
          .containsExactly(
              entry("NOTIFY", "SUCCESS,FAILURE"), entry("ORCPT", "rfc822;b@example.test"));
      assertThat(message.recipientParameters("c@example.test"))
          .isEqualTo(Map.of("NOTIFY", "NEVER"));
      assertThat(message.recipientParameters("d@example.test")).isEmpty();
      assertThat(message.recipientParameters("nobody@example.test")).isEmpty();
    }
  }

  @Test
  void bodyValuesAreAcceptedInAnyCase() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> BODY=7bit").expect(MAIL_OK);
      client.send("RSET").expect(OK);
      client.send("MAIL FROM:<a@example.test> body=8bitmime").expect(MAIL_OK);
      client.send("RSET").expect(OK);
      client.send("MAIL FROM:<a@example.test> BODY=BINARYMIME").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect("503 5.5.1 Error: BODY=BINARYMIME requires BDAT");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SIZE=abc|501 5.5.4 Bad parameter value: SIZE=abc",
        "SIZE=-1|501 5.5.4 Bad parameter value: SIZE=-1",
        "BODY=9BIT|501 5.5.4 Bad parameter value: BODY=9BIT",
        "SMTPUTF8=yes|501 5.5.4 Bad parameter value: SMTPUTF8=yes",
        "RET=ALL|501 5.5.4 Bad parameter value: RET=ALL",
        "ENVID=a=b|501 5.5.4 Bad parameter value: ENVID=a=b",
        "ENVID=a+zz|501 5.5.4 Bad parameter value: ENVID=a+zz",
        "SIZE=|501 5.5.4 Syntax: MAIL FROM:<address>",
        "SIZE=1 SIZE=2|501 5.5.4 Syntax: MAIL FROM:<address>",
        "XFOO=1|555 5.5.4 Unsupported option: XFOO",
        "NOTIFY=NEVER|555 5.5.4 Unsupported option: NOTIFY",
        "AUTH=<>|555 5.5.4 Unsupported option: AUTH",
      })
  void badOrUnknownMailParametersAreRefusedAndStartNoTransaction(String parameter, String reply) {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> " + parameter).expect(reply);
      client.send("RCPT TO:<b@example.test>").expect(NEED_MAIL);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "NOTIFY=SOMETIMES|501 5.5.4 Bad parameter value: NOTIFY=SOMETIMES",
        "NOTIFY=NEVER,SUCCESS|501 5.5.4 Bad parameter value: NOTIFY=NEVER,SUCCESS",
        "ORCPT=rfc822|501 5.5.4 Bad parameter value: ORCPT=rfc822",
        "ORCPT=;b@example.test|501 5.5.4 Bad parameter value: ORCPT=;b@example.test",
        "XFOO|555 5.5.4 Unsupported option: XFOO",
        "SIZE=10|555 5.5.4 Unsupported option: SIZE",
      })
  void badOrUnknownRcptParametersAreRefusedAndAddNoRecipient(String parameter, String reply) {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<bad@example.test> " + parameter).expect(reply);
      client.send("DATA").expect(NEED_RCPT);
      client.send("RCPT TO:<good@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).recipients()).containsExactly("good@example.test");
    }
  }

  @Test
  void anErrorInTheMiddleLeavesTheTransactionAsItWas() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("FOO bar").expect("500 5.5.2 Error: command not recognized");
      client.send("MAIL FROM:<z@example.test>").expect("503 5.5.1 Error: nested MAIL command");
      client.send("NOOP").expect(OK);
      client.send("VRFY b").expectStart("252 ");
      client.send("RCPT TO:<c@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.from()).isEqualTo("a@example.test");
      assertThat(message.recipients()).containsExactly("b@example.test", "c@example.test");
    }
  }

  @Test
  void aRecipientMayBeGivenTwice() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendMessage(client, "a@example.test", List.of("b@example.test", "b@example.test"), "twice");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).recipients())
          .containsExactly("b@example.test", "b@example.test");
    }
  }
}
