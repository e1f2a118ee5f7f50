package dev.smtpdouble.examples;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import java.time.Duration;
import org.apache.commons.mail2.core.EmailException;
import org.apache.commons.mail2.jakarta.HtmlEmail;
import org.apache.commons.mail2.jakarta.SimpleEmail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Apache Commons Email 2 (the Jakarta flavour) aimed at the injected double. */
@SmtpServer
@Timeout(30)
class CommonsEmailExampleTest {

  /** Host, port and short timeouts: what the application's configuration would set. */
  static <T extends org.apache.commons.mail2.jakarta.Email> T at(SmtpDouble smtp, T email) {
    email.setHostName(smtp.host());
    email.setSmtpPort(smtp.port());
    email.setSocketConnectionTimeout(Duration.ofSeconds(2));
    email.setSocketTimeout(Duration.ofSeconds(2));
    return email;
  }

  @Test
  void sendsAPlainTextReminder(SmtpDouble smtp) throws Exception {
    SimpleEmail email = at(smtp, new SimpleEmail());
    email.setFrom("calendar@example.test");
    email.addTo("alice@example.test");
    email.setSubject("Reminder: dentist at 10:00");
    email.setMsg("Tomorrow at 10:00.\n");

    email.send();

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasFrom("calendar@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Reminder: dentist at 10:00")
        .bodyContains("Tomorrow at 10:00.");
    assertThat(smtp).hasNoViolations();
  }

  @Test
  void sendsHtmlWithATextAlternative(SmtpDouble smtp) throws Exception {
    HtmlEmail email = at(smtp, new HtmlEmail());
    email.setFrom("calendar@example.test");
    email.addTo("alice@example.test");
    email.addCc("bob@example.test");
    email.setSubject("Team lunch");
    email.setHtmlMsg("<p>Lunch on <b>Friday</b></p>");
    email.setTextMsg("Lunch on Friday");

    email.send();

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .hasRecipients("alice@example.test", "bob@example.test")
        .hasPartContaining("<b>Friday</b>")
        .hasPartContaining("Lunch on Friday");
  }

  @Test
  @SmtpServer(sizeLimit = 1000)
  void failsOnAMessageOverTheSizeLimit(SmtpDouble smtp) throws Exception {
    SimpleEmail email = at(smtp, new SimpleEmail());
    email.setFrom("calendar@example.test");
    email.addTo("alice@example.test");
    email.setSubject("The whole year");
    email.setMsg("An appointment.\n".repeat(200));

    assertThatThrownBy(email::send)
        .isInstanceOf(EmailException.class)
        .hasRootCauseMessage("552 5.3.4 Message size exceeds fixed limit\n");
    // Commons Email does not look at SIZE: the double received the body and answered 552.
    assertThat(smtp).hasReceived(1).first().isRejected().hasReplyCode(552);
  }
}
