package dev.smtpdouble.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;

/**
 * The tests run on the Spring Boot major version the build says (4 here, 3 in boot3-compat), so a
 * dependency mix-up cannot pass unnoticed.
 */
@Timeout(60)
class SpringVersionsTest {

  @Test
  void runsOnTheExpectedSpringBoot() {
    String expected = System.getProperty("smtpdouble.expected.spring.boot.major");
    assertThat(expected).as("system property smtpdouble.expected.spring.boot.major").isNotNull();
    assertThat(SpringBootVersion.getVersion()).startsWith(expected + ".");
    assertThat(SpringVersion.getVersion()).startsWith(expected.equals("4") ? "7." : "6.");
  }
}
