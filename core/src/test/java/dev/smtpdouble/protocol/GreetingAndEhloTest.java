package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.DEFAULT_EHLO;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.Extension;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The greeting, EHLO and HELO, the host name, and what a subset of extensions changes. */
@Timeout(30)
class GreetingAndEhloTest {

  @Test
  void greetsWithTheHostNameAndEsmtp() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
    }
  }

  @Test
  void ehloListsEveryExtensionWithTheSizeLimit() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("EHLO client.test").expectReply(DEFAULT_EHLO.toArray(String[]::new));
    }
  }

  @Test
  void ehloShowsTheConfiguredSizeLimitAndZeroForNoLimit() {
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(1000).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      assertThat(client.ehlo("client.test")).contains("250-SIZE 1000");
    }
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(0).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      assertThat(client.ehlo("client.test")).contains("250-SIZE 0");
    }
  }

  @Test
  void heloAnswersWithTheHostNameAlone() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("HELO client.test").expectReply(HELO_OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
    }
  }

  @Test
  void verbsAreCaseInsensitive() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("ehlo client.test").expectReply(DEFAULT_EHLO.toArray(String[]::new));
      client.send("Helo other.test").expect(HELO_OK);
      client.send("noop").expect(OK);
      client.send("qUiT").expect(BYE);
    }
  }

  @Test
  void theConfiguredHostNameIsUsedInGreetingEhloHeloAndTimeout() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .hostname("mx.example.test")
                .idleTimeout(Duration.ofMillis(300))
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 mx.example.test ESMTP");
      assertThat(client.ehlo("client.test")).first().isEqualTo("250-mx.example.test");
      client.send("HELO client.test").expect("250 mx.example.test");
      client.expect("421 4.4.2 mx.example.test Error: timeout exceeded");
    }
  }

  @Test
  void aSubsetOfExtensionsIsAdvertisedAlone() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().extensions(Extension.EIGHT_BIT_MIME, Extension.SIZE).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client
          .send("EHLO client.test")
          .expectReply("250-localhost", "250-SIZE 52428800", "250 8BITMIME");
    }
  }

  @Test
  void noExtensionsGiveAOneLineEhloReply() {
    try (SmtpDouble smtp = SmtpDouble.builder().extensions().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("EHLO client.test").expectReply(HELO_OK);
    }
  }

  @Test
  void withoutChunkingBdatIsNotImplementedButItsChunkIsSkipped() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .extensions(Extension.PIPELINING, Extension.ENHANCED_STATUS_CODES)
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client
          .send("EHLO client.test")
          .expectReply("250-localhost", "250-PIPELINING", "250 ENHANCEDSTATUSCODES");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw("BDAT 5 LAST\r\nFOO\r\n");
      client.expect("502 5.5.1 Error: BDAT not offered (no CHUNKING)");
      client.send("RSET").expect(OK);
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void withoutSizeTheSizeParameterIsUnsupported() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .extensions(Extension.ENHANCED_STATUS_CODES, Extension.EIGHT_BIT_MIME)
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client
          .send("MAIL FROM:<a@example.test> SIZE=100")
          .expect("555 5.5.4 Unsupported option: SIZE");
      client.send("MAIL FROM:<a@example.test> BODY=8BITMIME").expect(MAIL_OK);
    }
  }

  @Test
  void withoutTheOtherExtensionsTheirParametersAreUnsupported() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().extensions(Extension.ENHANCED_STATUS_CODES).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client
          .send("MAIL FROM:<a@example.test> BODY=8BITMIME")
          .expect("555 5.5.4 Unsupported option: BODY=8BITMIME");
      client
          .send("MAIL FROM:<a@example.test> BODY=7BIT")
          .expect("555 5.5.4 Unsupported option: BODY=7BIT");
      client
          .send("MAIL FROM:<a@example.test> SMTPUTF8")
          .expect("555 5.5.4 Unsupported option: SMTPUTF8");
      client
          .send("MAIL FROM:<a@example.test> RET=FULL")
          .expect("555 5.5.4 Unsupported option: RET");
      client
          .send("MAIL FROM:<a@example.test> ENVID=x1")
          .expect("555 5.5.4 Unsupported option: ENVID");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client
          .send("RCPT TO:<b@example.test> NOTIFY=NEVER")
          .expect("555 5.5.4 Unsupported option: NOTIFY");
      client
          .send("RCPT TO:<b@example.test> ORCPT=rfc822;b@example.test")
          .expect("555 5.5.4 Unsupported option: ORCPT");
    }
  }

  @Test
  void binaryMimeNeedsChunkingToo() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .extensions(Extension.ENHANCED_STATUS_CODES, Extension.BINARY_MIME)
                .start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client
          .send("MAIL FROM:<a@example.test> BODY=BINARYMIME")
          .expect("555 5.5.4 Unsupported option: BODY=BINARYMIME");
    }
  }

  @Test
  void withoutEnhancedStatusCodesRepliesCarryNone() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().extensions(Extension.SIZE, Extension.PIPELINING).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client
          .send("EHLO client.test")
          .expectReply("250-localhost", "250-SIZE 52428800", "250 PIPELINING");
      client.send("MAIL FROM:<a@example.test>").expect("250 Ok");
      client.send("MAIL FROM:<a@example.test>").expect("503 Error: nested MAIL command");
      client.send("RCPT TO:<b@example.test>").expect("250 Ok");
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("Subject: plain\r\n\r\nhi\r\n.\r\n").expect("250 Ok: queued");
      client
          .send("VRFY b")
          .expect("252 Cannot VRFY user, but will accept message and attempt delivery");
      client
          .send("HELP")
          .expectReply(
              "214-Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY",
              "214 See RFC 5321 for details");
      client.send("FOO").expect("500 Error: command not recognized");
      client.send("NOOP").expect("250 Ok");
      client.send("QUIT").expect("221 Bye");
      assertThat(take(smtp).reply().orElseThrow().lines()).containsExactly("Ok: queued");
    }
  }

  @Test
  void aNewEhloAbortsTheTransaction() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.ehlo("again.test");
      client.send("DATA").expect(NEED_MAIL);
      client.send("RCPT TO:<b@example.test>").expect(NEED_MAIL);
    }
  }

  @Test
  void theMessageKeepsTheEhloName() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("first.test");
      client.ehlo("client.example.test");
      SmtpTesting.sendMessage(client, "a@example.test", List.of("b@example.test"), "x");
      ReceivedMessage message = take(smtp);
      assertThat(message.heloName()).isEqualTo("client.example.test");
    }
  }
}
