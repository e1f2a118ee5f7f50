package dev.smtpdouble.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.smtpdouble.junit5.Toggle;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A failed test carries the double's transcript with every reply explained, as with
 * {@code @SmtpServer}; a passed one fails when the double was asked to fail it. The fixtures run
 * through EngineTestKit.
 */
@Timeout(60)
class FailureReportTest {

  @Tag("fixture")
  @SpringBootTest(classes = MailApplication.class, properties = "app.mail.attempts=1")
  @EnableSmtpDouble(script = "reply 550 \"5.1.1 No such user\" to RCPT")
  static class RejectedRecipientTestCase {
    @Autowired WelcomeMailer mailer;

    @Test
    void welcomesAUserTheServerDoesNotKnow() {
      mailer.welcome("nobody@example.test");
    }
  }

  @Test
  void aFailedTestCarriesTheTranscriptWithTheCodesExplained() {
    Throwable failure = onlyFailure(run(RejectedRecipientTestCase.class));

    assertThat(failure.getSuppressed()).hasSize(1);
    String report = failure.getSuppressed()[0].getMessage();
    assertThat(report)
        .startsWith(
            "smtp-double transcript of the failed test welcomesAUserTheServerDoesNotKnow():\n"
                + "--- bean smtpDouble: smtp-double at 127.0.0.1:")
        .contains("RCPT TO:<nobody@example.test>")
        .contains("550 5.1.1 No such user")
        .containsPattern("\\n\\s+# 550 .*\\n\\s+# 5\\.1\\.1 ");
  }

  @Tag("fixture")
  @SpringBootTest(classes = MailApplication.class)
  @EnableSmtpDouble(script = "reply 211 to HELP", failOnUnusedRules = Toggle.ON)
  static class UnusedRuleTestCase {
    @Autowired WelcomeMailer mailer;

    @Test
    void neverAsksForHelp() {
      mailer.welcome("grace@example.test");
    }
  }

  @Test
  void aPassedTestFailsWhenARuleNeverActedAndTheAnnotationSaysSo() {
    Throwable failure = onlyFailure(run(UnusedRuleTestCase.class));

    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "The test passed, but smtp-double was asked to fail it:\n"
                + "- bean smtpDouble (smtp-double at 127.0.0.1:"
                + port(failure)
                + ") has 1 rule that never acted (failOnUnusedRules):\n"
                + "    reply 211 to HELP\n");
    assertThat(failure.getSuppressed()[0].getMessage()).contains("RCPT TO:<grace@example.test>");
  }

  @Tag("fixture")
  @SpringBootTest(
      classes = MailApplication.class,
      properties = "smtpdouble.fail.on.unused.rules=true")
  @EnableSmtpDouble(script = "reply 211 to HELP")
  static class UnusedRuleByPropertyTestCase {
    @Autowired WelcomeMailer mailer;

    @Test
    void neverAsksForHelp() {
      mailer.welcome("heidi@example.test");
    }
  }

  @Test
  void theConfigurationParametersAreSpringProperties() {
    Throwable failure = onlyFailure(run(UnusedRuleByPropertyTestCase.class));

    assertThat(failure).hasMessageContaining("has 1 rule that never acted (failOnUnusedRules)");
  }

  private static EngineExecutionResults run(Class<?> testCase) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testCase)).execute();
  }

  private static Throwable onlyFailure(EngineExecutionResults results) {
    List<Event> failed = results.allEvents().failed().list();
    assertThat(failed).hasSize(1);
    return failed
        .get(0)
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseThrow();
  }

  private static String port(Throwable failure) {
    String message = failure.getMessage();
    int start = message.indexOf("127.0.0.1:") + "127.0.0.1:".length();
    return message.substring(start, message.indexOf(')', start));
  }
}
