package dev.smtpdouble.examples.docs;

// The README's quick start, exactly as README.md shows it (DocsAreTrueTest checks that).
// tag::quick-start[]
import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import org.junit.jupiter.api.Test;

@SmtpServer // a fresh double on 127.0.0.1 and a free port for every test
class WelcomeMailTest {
  @Test
  void sendsTheWelcomeMail(SmtpDouble smtp) throws Exception {
    new WelcomeMailer(smtp.host(), smtp.port()).send("alice@example.test");

    assertThat(smtp).hasReceived(1).first()
        .hasFrom("shop@example.test").hasRecipients("alice@example.test")
        .hasSubject("Welcome").bodyContains("Hello Alice");
    assertThat(smtp).hasNoViolations();
  }

  @Test
  @SmtpServer(script = "reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA")
  void reportsARejectedMail(SmtpDouble smtp) {
    WelcomeMailer mailer = new WelcomeMailer(smtp.host(), smtp.port());

    assertThatThrownBy(() -> mailer.send("alice@example.test"))
        .hasMessageContaining("554 5.7.1 Message rejected as spam");
    assertThat(smtp).hasReceived(1).first().isRejected().hasReplyCode(554);
  }
}
// end::quick-start[]
