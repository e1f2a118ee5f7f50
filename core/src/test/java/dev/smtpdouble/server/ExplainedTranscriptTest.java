package dev.smtpdouble.server;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Transcript#explained()}: every server reply annotated from the catalogue. */
@Timeout(30)
class ExplainedTranscriptTest {

  @Test
  void everyReplyIsFollowedByTheMeaningOfItsCodes() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect(GREETING);
        client.send("HELO client.test").expect(HELO_OK);
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
        client.send("DATA").expectStart("354");
        client.sendRaw("Subject: x\r\n\r\nbody\r\n.\r\n").expect("554 5.7.1 Message rejected as spam");
        client.send("HELP").expectStart("214-");
      }
      Transcript transcript = smtp.transcript();
      String explained = transcript.explained();
      assertThat(explained)
          .contains(
              "S: 354 End data with <CR><LF>.<CR><LF>\n"
                  + "   # 354 Start mail input — positive intermediate")
          .contains(
              "S: 554 5.7.1 Message rejected as spam\n"
                  + "   # 554 Transaction failed — permanent negative completion")
          .contains("   # 5.7.1 Delivery not authorized, message refused — permanent failure")
          .contains("   # 2.1.0 ")
          .contains("S: 220 localhost ESMTP\n   # 220 Service ready");
      // only the last line of a multi-line reply is explained
      assertThat(explained).doesNotContain("214-2.0.0 Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY\n   #");
      // the plain rendering has no notes, and the explained one has every plain line
      String plain = transcript.toString();
      assertThat(plain).doesNotContain("   # ");
      assertThat(explained.lines().filter(line -> !line.startsWith("   # ")))
          .containsExactlyElementsOf(plain.lines().toList());
      assertThat(transcript.sessions().get(0).explained())
          .isEqualTo(explained);
    }
  }
}
