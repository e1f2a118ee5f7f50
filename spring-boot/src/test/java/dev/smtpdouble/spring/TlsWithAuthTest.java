package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.TlsMode;
import dev.smtpdouble.junit5.Toggle;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * STARTTLS and AUTH, both required: the starter trusts the double's CA through an SSL bundle,
 * checks its host name and logs in with the annotation's user.
 */
@Timeout(60)
// tag::tls-auth-test[]
@SpringBootTest(classes = MailApplication.class)
@EnableSmtpDouble(
    tls = TlsMode.STARTTLS,
    requireTls = Toggle.ON,
    users = "shop:s3cret",
    requireAuth = Toggle.ON)
class TlsWithAuthTest {
  @Autowired WelcomeMailer mailer;
  @Autowired SmtpDouble smtp;

  @Test
  void sendsOverTlsAsTheUser() {
    mailer.welcome("dave@example.test");

    assertThat(smtp)
        .hasReceived(1)
        .first()
        .wasEncrypted()
        .wasAuthenticatedAs("shop")
        .hasRecipients("dave@example.test");
    assertThat(smtp).hasNoViolations();
  }
}
// end::tls-auth-test[]
