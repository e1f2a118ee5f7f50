package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_RCPT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pipelined group whose RCPT is refused: the DATA that follows gets 503, but the client could
 * not have known, so it is no violation (RFC 2920 §3.1). Sent after the refusal arrived, it is.
 */
@Timeout(30)
class PipelinedRefusalTest {

  @Test
  void dataPipelinedBehindARefusedRcptIsNoViolation() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 550 \"5.1.1 No such user\" to RCPT");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect(GREETING);
        client.ehlo("client.test");
        client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        client.expect(MAIL_OK).expect("550 5.1.1 No such user");
        client.expect(NEED_RCPT);
        assertThat(smtp.violations()).isEmpty();

        client.send("DATA").expect(NEED_RCPT);
        assertThat(smtp.violations())
            .extracting(Violation::kind)
            .containsExactly(Violation.Kind.DATA_WITHOUT_RECIPIENT);
      }
    }
  }

  @Test
  void withoutPipeliningOfferedTheBatchIsTheViolation() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 550 to RCPT");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect(GREETING);
        client.send("HELO client.test").expect(HELO_OK);
        client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        client.expectStart("250").expectStart("550").expectStart("503");
        assertThat(smtp.violations())
            .extracting(Violation::kind)
            .contains(Violation.Kind.PIPELINING_NOT_OFFERED, Violation.Kind.DATA_WITHOUT_RECIPIENT);
      }
    }
  }
}
