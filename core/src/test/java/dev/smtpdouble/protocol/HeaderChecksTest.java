package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Date, From and Message-ID: checked only when the double stands in for a relay or an MX. */
@Timeout(30)
class HeaderChecksTest {
  private static final String COMPLETE =
      "Date: Sat, 28 Nov 2026 17:00:00 +0000\r\nFrom: a@example.test\r\n"
          + "Message-ID: <1@example.test>\r\nSubject: x\r\n\r\nbody\r\n";
  private static final String BARE = "Subject: x\r\n\r\nbody\r\n";

  private static void send(RawClient client, String message, String expected) {
    client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
    client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
    client.send("DATA").expectStart("354");
    client.sendRaw(message + ".\r\n").expect(expected);
  }

  private static RawClient greeted(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    client.ehlo("client.test");
    return client;
  }

  @Test
  void offByDefaultSinceASubmissionServerMayAddThem() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      send(client, BARE, QUEUED);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void whenCheckedAMessageWithoutThemIsNoted() {
    try (SmtpDouble smtp = SmtpDouble.builder().checkHeaders().start();
        RawClient client = greeted(smtp)) {
      send(client, COMPLETE, QUEUED);
      assertThat(smtp.violations()).isEmpty();
      send(client, BARE, QUEUED);
      assertThat(smtp.violations())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.kind()).isEqualTo(Violation.Kind.MISSING_HEADER);
                assertThat(v.explanation()).endsWith("no Date, no From, no Message-ID header");
                assertThat(v.rfc()).isEqualTo("RFC 5322 §3.6");
              });
    }
  }

  @Test
  void strictAndCheckedRejectsIt() {
    try (SmtpDouble smtp = SmtpDouble.builder().checkHeaders().strict().start();
        RawClient client = greeted(smtp)) {
      send(client, BARE, "554 5.6.0 Message rejected: no Date, no From, no Message-ID header");
      send(client, COMPLETE, QUEUED);
    }
  }
}
