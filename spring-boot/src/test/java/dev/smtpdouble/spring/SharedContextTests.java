package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.spring.app.WelcomeMailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The tests of two test classes with the same configuration ({@link SharedContextFirstTest}, {@link
 * SharedContextSecondTest}): they share one cached context and so one double (same object, same
 * port), which is reset before each of their tests.
 */
@Timeout(60)
abstract class SharedContextTests {
  @Autowired ApplicationContext context;
  @Autowired WelcomeMailer mailer;
  @Autowired SmtpDouble smtp;

  @Test
  void seesOnlyItsOwnMail() {
    sendOneAndCheckTheSharing(getClass().getSimpleName() + "-one@example.test");
  }

  @Test
  void seesOnlyItsOwnMailToo() {
    sendOneAndCheckTheSharing(getClass().getSimpleName() + "-two@example.test");
  }

  private void sendOneAndCheckTheSharing(String recipient) {
    assertThat(smtp.messages()).isEmpty();
    assertThat(smtp.transcript().sessions()).isEmpty();

    mailer.welcome(recipient);

    assertThat(smtp).hasReceived(1).first().hasRecipients(recipient);
    assertThat(smtp.messages()).hasSize(1);
    for (ContextWitness.Seen other : ContextWitness.record(getClass(), context, smtp)) {
      assertThat(other.context()).isSameAs(context);
      assertThat(other.smtp()).isSameAs(smtp);
      assertThat(other.port()).isEqualTo(smtp.port());
    }
  }
}
