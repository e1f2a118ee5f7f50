package dev.smtpdouble.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.SmtpDouble;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Wrong uses of {@code @SmtpServer} fail early, in JUnit's wording, saying what to change. */
@Timeout(60)
class SmtpServerMisuseTest {

  @Tag("fixture")
  static class WrongFieldTypeTestCase {
    @SmtpServer private String smtp;

    @Test
    void neverRuns() {
      throw new AssertionError("must not run: " + smtp);
    }
  }

  @Test
  void aFieldOfAnotherTypeFailsTheClass() {
    EngineExecutionResults results = Fixtures.run(WrongFieldTypeTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(Fixtures.failure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@SmtpServer field [private java.lang.String dev.smtpdouble.junit5."
                + "SmtpServerMisuseTest$WrongFieldTypeTestCase.smtp] must be of type"
                + " dev.smtpdouble.SmtpDouble but was: java.lang.String");
  }

  @Tag("fixture")
  static class FinalFieldTestCase {
    @SmtpServer final SmtpDouble smtp = null;

    @Test
    void neverRuns() {
      throw new AssertionError("must not run");
    }
  }

  @Test
  void aFinalFieldFailsTheClass() {
    EngineExecutionResults results = Fixtures.run(FinalFieldTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(Fixtures.failure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@SmtpServer field [final dev.smtpdouble.SmtpDouble dev.smtpdouble.junit5."
                + "SmtpServerMisuseTest$FinalFieldTestCase.smtp] must not be declared as final.");
  }

  @Tag("fixture")
  static class PrivateStaticFinalFieldTestCase {
    @SmtpServer private static final SmtpDouble SMTP = null;

    @Test
    void neverRuns() {
      throw new AssertionError("must not run: " + SMTP);
    }
  }

  @Test
  void aPrivateStaticFinalFieldFailsTheClass() {
    EngineExecutionResults results = Fixtures.run(PrivateStaticFinalFieldTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(Fixtures.failure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@SmtpServer field [private static final dev.smtpdouble.SmtpDouble dev.smtpdouble."
                + "junit5.SmtpServerMisuseTest$PrivateStaticFinalFieldTestCase.SMTP] must not be"
                + " declared as final.");
  }

  @Tag("fixture")
  static class WrongParameterTypeTestCase {
    @Test
    void wrongType(@SmtpServer String host) {
      throw new AssertionError("must not run: " + host);
    }
  }

  @Test
  void aParameterOfAnotherTypeFailsTheTestBeforeItRuns() {
    EngineExecutionResults results = Fixtures.run(WrongParameterTypeTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    assertThat(Fixtures.failure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@SmtpServer parameter [java.lang.String host] in method [void dev.smtpdouble.junit5."
                + "SmtpServerMisuseTest$WrongParameterTypeTestCase.wrongType(java.lang.String)]"
                + " must be of type dev.smtpdouble.SmtpDouble but was: java.lang.String");
  }

  @Tag("fixture")
  static class ConstructorParameterTestCase {
    ConstructorParameterTestCase(@SmtpServer SmtpDouble smtp) {
      throw new AssertionError("must not be constructed: " + smtp);
    }

    @Test
    void neverRuns() {}
  }

  @Test
  void aConstructorParameterIsRefusedWithAdvice() {
    EngineExecutionResults results = Fixtures.run(ConstructorParameterTestCase.class);

    assertThat(Fixtures.failure(results))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage(
            "SmtpDouble parameter [dev.smtpdouble.SmtpDouble smtp] in constructor"
                + " [dev.smtpdouble.junit5.SmtpServerMisuseTest$ConstructorParameterTestCase"
                + "(dev.smtpdouble.SmtpDouble)] cannot be resolved: a double belongs to a test,"
                + " so only parameters of test, @BeforeEach and @AfterEach methods can be"
                + " SmtpDoubles. Use a static @SmtpServer field for a double shared by all tests"
                + " of a class.");
  }

  @Tag("fixture")
  static class UnconfiguredParameterTestCase {
    @SmtpServer SmtpDouble field;

    @Test
    void unannotated(SmtpDouble smtp) {
      throw new AssertionError("must not run: " + smtp);
    }
  }

  @Test
  void aParameterWithNoAnnotationToConfigureItIsRefusedWithAdvice() {
    EngineExecutionResults results = Fixtures.run(UnconfiguredParameterTestCase.class);

    assertThat(Fixtures.failure(results))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessage(
            "SmtpDouble parameter [dev.smtpdouble.SmtpDouble smtp] in method [void dev.smtpdouble."
                + "junit5.SmtpServerMisuseTest$UnconfiguredParameterTestCase.unannotated("
                + "dev.smtpdouble.SmtpDouble)] has no @SmtpServer to configure it: annotate the"
                + " parameter, the test method or the test class with @SmtpServer.");
  }

  @Tag("fixture")
  static class NoAnnotationAnywhereTestCase {
    @Test
    void unannotated(SmtpDouble smtp) {
      throw new AssertionError("must not run: " + smtp);
    }
  }

  /**
   * With no {@code @SmtpServer} anywhere in the class the extension is not registered, so it cannot
   * speak: JUnit refuses the parameter in its own words, as the docs say.
   */
  @Test
  void withNoAnnotationAnywhereJUnitRefusesTheParameterItself() {
    EngineExecutionResults results = Fixtures.run(NoAnnotationAnywhereTestCase.class);

    assertThat(Fixtures.failure(results))
        .isInstanceOf(ParameterResolutionException.class)
        .hasMessageStartingWith(
            "No ParameterResolver registered for parameter [dev.smtpdouble.SmtpDouble smtp]");
  }

  @Tag("fixture")
  @SmtpServer(script = "reply 211 to HELP\nexplode to HELP")
  static class MalformedScriptTestCase {
    @Test
    void neverRuns(SmtpDouble smtp) {
      throw new AssertionError("must not run: " + smtp);
    }
  }

  @Test
  void aMalformedScriptFailsTheClassNamingTheAnnotation() {
    EngineExecutionResults results = Fixtures.run(MalformedScriptTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(Fixtures.failure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageStartingWith(
            "@SmtpServer on class [dev.smtpdouble.junit5.SmtpServerMisuseTest"
                + "$MalformedScriptTestCase] has a malformed script: ")
        .hasMessageContaining("line 2")
        .hasCauseInstanceOf(dev.smtpdouble.ScriptException.class);
  }

  @Tag("fixture")
  static class InvalidAttributesTestCase {
    @Test
    @SmtpServer(hostname = "two words")
    void badHostname(SmtpDouble smtp) {
      throw new AssertionError("must not run: " + smtp);
    }

    @Test
    void badTimeout(@SmtpServer(idleTimeout = "soon") SmtpDouble smtp) {
      throw new AssertionError("must not run: " + smtp);
    }
  }

  @Test
  void invalidAttributesFailTheTestSayingWhy() {
    EngineExecutionResults results = Fixtures.run(InvalidAttributesTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(2).failed(2));
    assertThat(results.testEvents().failed().stream().map(Fixtures::throwable))
        .extracting(Throwable::getMessage)
        .containsExactlyInAnyOrder(
            "@SmtpServer on method [void dev.smtpdouble.junit5.SmtpServerMisuseTest"
                + "$InvalidAttributesTestCase.badHostname(dev.smtpdouble.SmtpDouble)] is invalid:"
                + " hostname must be one word without spaces, but was \"two words\"",
            "Failed to resolve parameter [dev.smtpdouble.SmtpDouble smtp] in method [void"
                + " dev.smtpdouble.junit5.SmtpServerMisuseTest$InvalidAttributesTestCase"
                + ".badTimeout(dev.smtpdouble.SmtpDouble)]: @SmtpServer on parameter"
                + " [dev.smtpdouble.SmtpDouble smtp] in method [void dev.smtpdouble.junit5."
                + "SmtpServerMisuseTest$InvalidAttributesTestCase.badTimeout("
                + "dev.smtpdouble.SmtpDouble)] has an invalid idleTimeout: 'soon' is not a"
                + " duration: write a number with ms, s, m or h (such as '5 s' or '500ms'; a number"
                + " alone means seconds) or an ISO-8601 duration such as 'PT5S'");
  }

  @Tag("fixture")
  @SmtpServer
  static class AnyTestCase {
    @Test
    void neverRuns(SmtpDouble smtp) {
      throw new AssertionError("must not run: " + smtp);
    }
  }

  @Test
  void anInvalidConfigurationParameterFailsTheClass() {
    EngineExecutionResults results =
        Fixtures.run(AnyTestCase.class, Map.of(SmtpServer.AWAIT_TIMEOUT_PROPERTY_NAME, "soon"));

    results.testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(Fixtures.failure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageStartingWith(
            "Configuration parameter smtpdouble.await.timeout is invalid: 'soon' is not a"
                + " duration");
  }

  @Test
  void aStrictnessParameterMustBeTrueOrFalse() {
    EngineExecutionResults results =
        Fixtures.run(AnyTestCase.class, Map.of(SmtpServer.FAIL_ON_VIOLATIONS_PROPERTY_NAME, "yes"));

    assertThat(Fixtures.failure(results))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "Configuration parameter smtpdouble.fail.on.violations must be true or false, but"
                + " was: 'yes'");
  }
}
