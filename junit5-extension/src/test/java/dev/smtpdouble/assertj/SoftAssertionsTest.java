package dev.smtpdouble.assertj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The assertions in soft mode: every failure collected, reported together. */
@Timeout(60)
@SmtpServer
class SoftAssertionsTest {

  /** Users mix the provider into their own soft assertions. */
  public static class MySoftAssertions extends SoftAssertions
      implements SmtpSoftAssertionsProvider {}

  @Test
  void failuresOfEveryKindAreCollected(SmtpDouble smtp) {
    RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "Hi", "Hello");

    SmtpSoftAssertions softly = new SmtpSoftAssertions();
    softly.assertThat(smtp).within(Duration.ofMillis(50)).hasReceived(2).hasNoViolations();
    softly.assertThat(smtp.messages().get(0)).hasFrom("x@example.test").hasSubject("Bye");
    softly.assertThat(smtp.transcript()).containsExchange("RSET", 250);
    softly.assertThat("a standard assertion").startsWith("b");

    assertThat(softly.errorsCollected())
        .extracting(Throwable::getMessage)
        .hasSize(5)
        .satisfies(
            messages -> {
              assertThat(messages.get(0)).contains("to have received exactly:\n  2 messages\n");
              assertThat(messages.get(1)).contains("envelope sender (MAIL FROM)");
              assertThat(messages.get(2)).contains("to have subject:\n  \"Bye\"");
              assertThat(messages.get(3)).contains("the client never sent RSET");
              assertThat(messages.get(4)).contains("to start with");
            });
    assertThatThrownBy(softly::assertAll).hasMessageContaining("Multiple Failures (5 failures)");
  }

  @Test
  void navigationToAnExistingMessageStaysSoft(SmtpDouble smtp) {
    RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "Hi", "Hello");

    SmtpSoftAssertions softly = new SmtpSoftAssertions();
    softly.assertThat(smtp).first().hasSubject("wrong").hasFrom("wrong@example.test");
    softly.assertThat(smtp).message(0).bodyContains("nothing like it");

    assertThat(softly.errorsCollected())
        .extracting(Throwable::getMessage)
        .hasSize(3)
        .allMatch(message -> message.startsWith("Expecting message\n  from <a@example.test>"));
  }

  @Test
  void assertSoftlyReportsEverythingAtTheEnd(SmtpDouble smtp) {
    RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "Hi", "Hello");

    assertThatThrownBy(
            () ->
                SmtpSoftAssertions.assertSoftly(
                    softly -> {
                      softly.assertThat(smtp).hasReceived(1).hasNoUnusedRules();
                      softly.assertThat(smtp.messages().get(0)).isRejected();
                      softly.assertThat(smtp.transcript()).hasSessions(2);
                    }))
        .hasMessageContaining("Multiple Failures (2 failures)")
        .hasMessageContaining("to have been rejected")
        .hasMessageContaining("to have:\n  2 session(s)");
  }

  @Test
  void theProviderMixesIntoOtherSoftAssertions(SmtpDouble smtp) {
    MySoftAssertions softly = new MySoftAssertions();
    softly.assertThat(smtp).hasNoMessages();
    softly.assertThat(smtp).within(Duration.ZERO).hasReceived(1);
    softly.assertThat(42).isEqualTo(43);

    assertThat(softly.errorsCollected()).hasSize(2);
  }
}
