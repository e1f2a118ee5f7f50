package dev.smtpdouble.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.engine.JupiterTestEngine;

/**
 * Proves which JUnit Jupiter runs these tests, so that the JUnit 6 run (module junit6-compat)
 * cannot silently fall back to JUnit 5: the build says which major version it expects.
 */
@Timeout(60)
class JupiterVersionTest {

  @Test
  void runsOnTheJupiterVersionTheBuildAskedFor(TestReporter reporter) {
    String expected = System.getProperty("smtpdouble.expected.jupiter.major");
    String api = Test.class.getPackage().getImplementationVersion();
    String engine = new JupiterTestEngine().getVersion().orElse("unknown");
    reporter.publishEntry("jupiter", "api " + api + ", engine " + engine);

    assertThat(expected).as("system property smtpdouble.expected.jupiter.major").isNotBlank();
    assertThat(api).as("junit-jupiter-api version").startsWith(expected + ".");
    assertThat(engine).as("junit-jupiter-engine version").startsWith(expected + ".");
  }
}
