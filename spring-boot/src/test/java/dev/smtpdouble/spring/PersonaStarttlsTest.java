package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A persona that requires STARTTLS and AUTH, and no tls attribute: the annotation sets the
 * starter's STARTTLS properties and the SSL bundle from the double the persona made, so the
 * application sends with no properties of its own. Gmail's persona lists AUTH (PLAIN LOGIN
 * XOAUTH2) only after STARTTLS; Jakarta Mail logs in with one of them.
 */
@Timeout(60)
@SpringBootTest(classes = MailApplication.class)
@EnableSmtpDouble(persona = "gmail-submission", users = "shop@gmail.test:app-password")
class PersonaStarttlsTest {
  @Autowired WelcomeMailer mailer;
  @Autowired SmtpDouble smtp;

  @Test
  void sendsOverTheStarttlsThePersonaRequires() {
    int attempts = mailer.welcome("gina@example.test");

    assertThat(attempts).isEqualTo(1);
    assertThat(smtp)
        .hasReceived(1)
        .first()
        .wasEncrypted()
        .wasAuthenticatedAs("shop@gmail.test")
        .hasRecipients("gina@example.test")
        .isAccepted();
    assertThat(smtp).hasNoViolations();
    assertThat(smtp.transcript().sessions().get(0).toString())
        .contains("220 smtp.gmail.com ESMTP"); // Gmail's greeting: the persona answers
  }
}
