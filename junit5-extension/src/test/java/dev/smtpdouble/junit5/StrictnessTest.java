package dev.smtpdouble.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The opt-in failures of passing tests: rules that never acted, client violations. */
@Timeout(60)
class StrictnessTest {
  static SmtpDouble strict;

  @Tag("fixture")
  static class UnusedRuleTestCase {
    @Test
    void neverReachesTheFault(
        @SmtpServer(
                script = "reply 421 \"4.3.2 Try again later\" to MAIL once",
                failOnUnusedRules = Toggle.ON)
            SmtpDouble smtp) {
      strict = smtp;
      try (RawClient wire = RawClient.greeted(smtp)) {
        wire.command("EHLO client.test");
        wire.command("QUIT");
      }
    }
  }

  @Test
  void anUnusedRuleFailsAPassingTestWhenAsked() {
    EngineExecutionResults results = Fixtures.run(UnusedRuleTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    Throwable failure = Fixtures.failure(results);
    assertThat(failure)
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessage(
            "The test passed, but smtp-double was asked to fail it:\n"
                + "- parameter smtp (smtp-double at 127.0.0.1:"
                + strict.port()
                + ") has 1 rule that never acted (failOnUnusedRules):\n"
                + "    reply 421 \"4.3.2 Try again later\" to MAIL once\n");
    assertThat(failure.getSuppressed()).singleElement().isInstanceOf(SmtpDoubleTranscript.class);
    assertThat(failure.getSuppressed()[0].getMessage()).contains("C: EHLO client.test\n");
    assertThat(Fixtures.reportEntries(results)).hasSize(1);
  }

  @Tag("fixture")
  @SmtpServer(script = "reply 421 to MAIL once")
  static class UsedAndUnusedRulesTestCase {
    @Test
    void reachesTheFault(SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        wire.command("EHLO client.test");
        assertThat(wire.command("MAIL FROM:<a@example.test>")).startsWith("421");
      }
    }

    @Test
    void doesNotReachIt(SmtpDouble smtp) {
      assertThat(smtp.rules()).hasSize(1);
    }

    @Test
    @SmtpServer(failOnUnusedRules = Toggle.OFF)
    void optsOut(SmtpDouble smtp) {
      assertThat(smtp.rules()).hasSize(1);
    }

    @Test
    void failsForItsOwnReason(SmtpDouble smtp) {
      throw new AssertionError("own reason");
    }
  }

  @Test
  void theConfigurationParameterSwitchesItOnForEveryDoubleThatDoesNotSay() {
    EngineExecutionResults results =
        Fixtures.run(
            UsedAndUnusedRulesTestCase.class,
            Map.of(SmtpServer.FAIL_ON_UNUSED_RULES_PROPERTY_NAME, "true"));

    results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(2).failed(2));
    assertThat(results.testEvents().failed().stream().map(Fixtures::throwable))
        .extracting(Throwable::getMessage)
        .anyMatch(message -> message.equals("own reason"))
        .anyMatch(
            message ->
                message.startsWith("The test passed, but smtp-double was asked to fail it:\n")
                    && message.endsWith(
                        ") has 1 rule that never acted (failOnUnusedRules):\n"
                            + "    reply 421 to MAIL once\n"));
  }

  @Test
  void withoutTheParameterUnusedRulesAreFine() {
    EngineExecutionResults results = Fixtures.run(UsedAndUnusedRulesTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(3).failed(1));
  }

  @Tag("fixture")
  @SmtpServer(failOnViolations = Toggle.ON)
  static class ViolationsTestCase {
    @Test
    void sendsABareLineFeed(SmtpDouble smtp) {
      strict = smtp;
      try (RawClient wire = RawClient.greeted(smtp)) {
        wire.sendRaw("EHLO client.test\n");
        wire.replyText();
        wire.command("QUIT");
      }
    }

    @Test
    void behaves(SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        wire.command("EHLO client.test");
        wire.command("QUIT");
      }
    }

    @Test
    @SmtpServer(failOnViolations = Toggle.OFF)
    void optsOut(SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        wire.sendRaw("EHLO client.test\n");
        wire.replyText();
        wire.command("QUIT");
      }
    }
  }

  @Test
  void aClientViolationFailsAPassingTestWhenAsked() {
    EngineExecutionResults results = Fixtures.run(ViolationsTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    Throwable failure = Fixtures.failure(results);
    assertThat(failure.getMessage())
        .isEqualTo(
            "The test passed, but smtp-double was asked to fail it:\n"
                + "- parameter smtp (smtp-double at 127.0.0.1:"
                + strict.port()
                + ") saw 1 protocol violation by the client (failOnViolations):\n"
                + "    "
                + strict.violations().get(0)
                + "\n");
    assertThat(strict.violations().get(0).toString())
        .startsWith("session 1, line 2: bare LF (RFC 5321 §2.3.8)");
  }
}
