package dev.smtpdouble.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.Persona;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.testing.SecureMail;
import dev.smtpdouble.testing.RawClient;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** {@code @SmtpServer(persona = ...)}: the double answers as a provider. */
@Timeout(30)
class PersonaAttributeTest {

  @Test
  void aPersonaWithASituationAndItsUsers(
      @SmtpServer(persona = "ses-smtp with throttling", users = "AKIAEXAMPLE:secret")
          SmtpDouble smtp) {
    assertThat(smtp.persona()).map(Persona::toString).contains("ses-smtp with throttling");
    Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());
    assertThatThrownBy(() -> SecureMail.send(props, "AKIAEXAMPLE", "secret"))
        .isInstanceOf(SMTPSendFailedException.class)
        .hasMessageContaining("454 Throttling failure: Maximum sending rate exceeded");
  }

  @Test
  void theOtherAttributesOverrideThePersonasSettings(
      @SmtpServer(persona = "gmail-submission", hostname = "mail.example.test", sizeLimit = 1000)
          SmtpDouble smtp) {
    assertThat(smtp.settings().hostname()).isEqualTo("mail.example.test");
    assertThat(smtp.settings().sizeLimit()).isEqualTo(1000);
    assertThat(smtp.settings().tls()).isNotNull(); // still the persona's STARTTLS
    try (RawClient wire = RawClient.greeted(smtp)) {
      assertThat(wire.greeting()).isEqualTo("220 smtp.gmail.com ESMTP t66sm6271302pjb.45 - gsmtp");
    }
  }

  @Test
  void aMalformedPersonaFailsTheTestWithTheAnnotationsPlace() {
    SmtpServer annotation = Holder.class.getDeclaredAnnotation(SmtpServer.class);
    assertThatThrownBy(() -> ServerOptions.DEFAULTS.with(annotation, "class [Holder]"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("@SmtpServer on class [Holder]")
        .hasMessageContaining("a situation of ses-smtp");
  }

  @SmtpServer(persona = "ses-smtp with floods")
  private static final class Holder {}

  @Tag("fixture")
  static class ThrottledTestCase {
    @Test
    void failsOnTheThrottledMessage(
        @SmtpServer(persona = "gmail-mx with receiving-too-quickly") SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        wire.command("EHLO mta.example.test");
        wire.command("MAIL FROM:<bounce@example.test>");
        wire.command("RCPT TO:<alice@gmail.test>");
        wire.command("QUIT");
      }
      throw new AssertionError("the mailer gave up");
    }
  }

  @Test
  void theFailureReportShowsWhatTheProviderMeansNextToTheRfcMeaning() {
    EngineExecutionResults results = Fixtures.run(ThrottledTestCase.class);
    String transcript = Fixtures.failure(results).getSuppressed()[0].getMessage();
    assertThat(transcript)
        .contains(
            "your message will be delivered.\n   # 450 Mailbox unavailable")
        .contains("   # gmail-mx says: This recipient gets mail too fast; resend later.")
        .contains("<https://support.google.com/a/answer/3726730>");
  }
}
