package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.NEED_RCPT;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client violations the double notes without breaking the session: each kind, where it points
 * in the transcript, and that a clean session has none.
 */
@Timeout(30)
class ViolationsTest {


  /** The single violation, checked to point at a transcript line with the given text. */
  private static Violation onlyViolation(SmtpDouble smtp, Violation.Kind kind, String lineText) {
    List<Violation> violations = smtp.violations();
    assertThat(violations).extracting(Violation::kind).containsExactly(kind);
    Violation violation = violations.get(0);
    assertThat(violation.sessionNumber()).isEqualTo(1);
    Transcript.Session session = smtp.transcript().session(1).orElseThrow();
    assertThat(session.lines().get(violation.lineNumber() - 1).text()).isEqualTo(lineText);
    String explanation = violation.explanation();
    String detail =
        explanation.equals(kind.rule())
            ? ""
            : ": " + explanation.substring(kind.rule().length() + 2);
    assertThat(session.lines())
        .extracting(Transcript.Line::toString)
        .contains("! " + kind.mark() + detail);
    assertThat(violation.toString())
        .startsWith("session 1, line " + violation.lineNumber() + ": " + kind.mark());
    return violation;
  }

  private static void sendData(RawClient client, String mailParameters, byte[] body) {
    client.send("MAIL FROM:<a@example.test>" + mailParameters).expect(MAIL_OK);
    client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
    client.send("DATA").expect(DATA_GO);
    client.sendRaw(body).sendRaw(".\r\n").expect(QUEUED);
  }

  @Test
  void aCleanSessionHasNoViolation() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, "", "Subject: clean\r\n\r\n..dot\r\n".getBytes(US_ASCII));
      client.send("QUIT").expect(BYE);
      awaitEnded(smtp, 1);
      assertThat(smtp.violations()).isEmpty();
      assertThat(smtp.transcript().toString()).doesNotContain("\n! ");
    }
  }

  @Test
  void aBareLfInACommand() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("NOOP\n").expect(OK);
      Violation violation = onlyViolation(smtp, Violation.Kind.BARE_LF, "NOOP");
      assertThat(violation.line()).isEqualTo("NOOP");
      assertThat(violation.rfc()).isEqualTo("RFC 5321 §2.3.8");
    }
  }

  @Test
  void aBareLfInData() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, "", "Subject: lf\r\n\r\none\ntwo\r\n".getBytes(US_ASCII));
      assertThat(take(smtp).data()).isEqualTo("Subject: lf\r\n\r\none\ntwo\r\n".getBytes(US_ASCII));
      onlyViolation(smtp, Violation.Kind.BARE_LF, "one\\ntwo");
    }
  }

  @Test
  void aBareCrInACommand() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.sendRaw("NOOP a\rb\r\n").expect(OK);
      onlyViolation(smtp, Violation.Kind.BARE_CR, "NOOP a\\rb");
    }
  }

  @Test
  void aBareCrInData() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, "", "first\r\nsec\rond\r\n".getBytes(US_ASCII));
      assertThat(take(smtp).data()).isEqualTo("first\r\nsec\rond\r\n".getBytes(US_ASCII));
      onlyViolation(smtp, Violation.Kind.BARE_CR, "sec\\rond");
    }
  }

  @Test
  void aLeadingDotThatWasNotDoubled() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, "", "Subject: dot\r\n\r\n.x\r\n".getBytes(US_ASCII));
      assertThat(take(smtp).data()).isEqualTo("Subject: dot\r\n\r\nx\r\n".getBytes(US_ASCII));
      // the transcript shows what was sent: the single dot
      onlyViolation(smtp, Violation.Kind.UNSTUFFED_DOT, ".x");
    }
  }

  @Test
  void eightBitDataWithoutBody8BitMime() {
    byte[] body = "Subject: 8bit\r\n\r\nGrüße\r\n".getBytes(UTF_8);
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, "", body);
      Violation violation =
          onlyViolation(smtp, Violation.Kind.EIGHT_BIT_WITHOUT_8BITMIME, "Grüße");
      assertThat(violation.explanation()).endsWith("MAIL had no BODY parameter");
      assertThat(take(smtp).data()).isEqualTo(body);
    }
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, " BODY=7BIT", body);
      assertThat(
              onlyViolation(smtp, Violation.Kind.EIGHT_BIT_WITHOUT_8BITMIME, "Grüße")
                  .explanation())
          .endsWith("MAIL declared BODY=7BIT");
    }
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, " BODY=8BITMIME", body);
      sendData(client, " BODY=8BITMIME", "x\r\n\u00ff\r\n".getBytes(ISO_8859_1));
      // SMTPUTF8 implies 8BITMIME (RFC 6531 §3.1)
      sendData(client, " SMTPUTF8", body);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void mailBeforeEhlo() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      onlyViolation(smtp, Violation.Kind.MAIL_BEFORE_HELO, "MAIL FROM:<a@example.test>");
    }
  }

  @Test
  void rcptWithoutMail() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("RCPT TO:<b@example.test>").expect(NEED_MAIL);
      onlyViolation(smtp, Violation.Kind.RCPT_WITHOUT_MAIL, "RCPT TO:<b@example.test>");
    }
  }

  @Test
  void dataWithoutRecipients() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("DATA").expect(NEED_RCPT);
      onlyViolation(smtp, Violation.Kind.DATA_WITHOUT_RECIPIENT, "DATA");
    }
  }

  @Test
  void closedWithoutQuit() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      try (RawClient client = greeted(smtp)) {
        client.send("NOOP").expect(OK);
      }
      Transcript.Session session = awaitEnded(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.CLIENT_CLOSED);
      Violation violation = smtp.violations().get(0);
      assertThat(smtp.violations()).hasSize(1);
      assertThat(violation.kind()).isEqualTo(Violation.Kind.CLOSED_WITHOUT_QUIT);
      assertThat(violation.sessionNumber()).isEqualTo(1);
      assertThat(session.lines().get(violation.lineNumber() - 1).toString())
          .isEqualTo("S: 250 2.0.0 Ok");
    }
  }

  @Test
  void closedInTheMiddleOfTheDataRecordsNoMessage() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      try (RawClient client = greeted(smtp)) {
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.send("DATA").expect(DATA_GO);
        client.sendRaw("Subject: half\r\n\r\nhalf a mess");
      }
      Transcript.Session session = awaitEnded(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.CLIENT_CLOSED);
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.CLOSED_WITHOUT_QUIT);
      assertThat(smtp.messages()).isEmpty();
      assertThat(session.lines())
          .extracting(Transcript.Line::toString)
          .contains("C: Subject: half", "C: half a mess")
          .doesNotContain("C: .");
    }
  }

  @Test
  void closedInTheMiddleOfABdatChunkRecordsNoMessage() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      try (RawClient client = greeted(smtp)) {
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.sendRaw("BDAT 100 LAST\r\nonly ten..");
      }
      Transcript.Session session = awaitEnded(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.CLIENT_CLOSED);
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .containsExactly(Violation.Kind.CLOSED_WITHOUT_QUIT);
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void aNonAsciiAddressWithoutSmtpUtf8() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<jürgen@example.test>").expect(MAIL_OK);
      onlyViolation(
          smtp, Violation.Kind.NON_ASCII_WITHOUT_SMTPUTF8, "MAIL FROM:<jürgen@example.test>");
      client.send("RCPT TO:<zoë@example.test>").expect(RCPT_OK);
      assertThat(smtp.violations()).hasSize(2);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).recipients()).containsExactly("zoë@example.test");
    }
  }

  @Test
  void nonAsciiAddressesWithSmtpUtf8AreFine() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<jürgen@example.test> SMTPUTF8").expect(MAIL_OK);
      client.send("RCPT TO:<zoë@bücher.example>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("x\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).from()).isEqualTo("jürgen@example.test");
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aMessageLargerThanItsDeclaredSize() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      sendData(client, " SIZE=10", "12345678\r\n".getBytes(US_ASCII));
      assertThat(smtp.violations()).isEmpty();
      sendData(client, " SIZE=10", "now eleven\r\n".getBytes(US_ASCII));
      assertThat(smtp.violations())
          .singleElement()
          .satisfies(
              violation -> {
                assertThat(violation.kind()).isEqualTo(Violation.Kind.LARGER_THAN_DECLARED_SIZE);
                assertThat(violation.explanation()).contains("declared SIZE=10 but sent 12 octets");
              });
    }
  }

  @Test
  void violationsAreNotedInEverySessionSeparately() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      try (RawClient first = greeted(smtp)) {
        first.send("QUIT").expect(BYE);
      }
      try (RawClient second = greeted(smtp)) {
        second.sendRaw("NOOP\n").expect(OK);
        second.send("QUIT").expect(BYE);
      }
      awaitEnded(smtp, 2);
      assertThat(smtp.violations())
          .extracting(Violation::kind, Violation::sessionNumber)
          .containsExactly(tuple(Violation.Kind.BARE_LF, 2));
    }
  }
}
