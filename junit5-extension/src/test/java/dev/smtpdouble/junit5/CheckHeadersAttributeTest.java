package dev.smtpdouble.junit5;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code @SmtpServer(checkHeaders = ON)}: a double standing in for a relay checks headers. */
@Timeout(30)
class CheckHeadersAttributeTest {

  @Test
  void offByDefault(@SmtpServer SmtpDouble smtp) {
    RawClient.sendMessage(smtp, "shop@example.test", "alice@example.test", "No date", "Hi");
    assertThat(smtp).hasReceived(1);
    assertThat(smtp).hasNoViolations();
  }

  @Test
  void onWhenAsked(@SmtpServer(checkHeaders = Toggle.ON) SmtpDouble smtp) {
    RawClient.sendMessage(smtp, "shop@example.test", "alice@example.test", "No date", "Hi");
    assertThat(smtp).hasReceived(1).hasViolation(Violation.Kind.MISSING_HEADER);
  }
}
