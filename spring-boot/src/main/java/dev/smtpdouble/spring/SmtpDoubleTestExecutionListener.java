package dev.smtpdouble.spring;

import dev.smtpdouble.junit5.SmtpServerSettings.RunningDouble;
import org.opentest4j.TestAbortedException;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Spring's TestContext hook around each test method of an {@link EnableSmtpDouble} test class,
 * registered in {@code META-INF/spring.factories}; tests never name it.
 *
 * <ul>
 *   <li>Before a test method (and its {@code @BeforeEach} methods): resets the context's double, so
 *       the test sees only its own messages and the annotation's rules.
 *   <li>After it: when it failed, attaches the double's transcript, every reply code explained, to
 *       the failure; when it passed, fails it if {@link EnableSmtpDouble#failOnUnusedRules()} or
 *       {@link EnableSmtpDouble#failOnViolations()} asks for it.
 * </ul>
 *
 * @since 0.1
 */
public final class SmtpDoubleTestExecutionListener implements TestExecutionListener, Ordered {

  /**
   * The listener's order: {@value}, after Spring's dependency injection (2000) and before its
   * transaction and SQL script listeners.
   */
  public static final int ORDER = 2500;

  /** Creates the listener; Spring does, from {@code META-INF/spring.factories}. */
  public SmtpDoubleTestExecutionListener() {}

  /**
   * {@value #ORDER}.
   *
   * @return the order
   */
  @Override
  public int getOrder() {
    return ORDER;
  }

  /**
   * Resets the double of the test's context.
   *
   * @param testContext the test's context
   */
  @Override
  public void beforeTestMethod(TestContext testContext) {
    if (applies(testContext)) {
      RunningDouble running = running(testContext.getApplicationContext());
      if (running != null) {
        running.reset();
      }
    }
  }

  /**
   * Attaches the transcript to a failure, or fails a passed test for unused rules or violations
   * when asked to.
   *
   * @param testContext the test's context
   * @throws AssertionError when the test passed but the double was asked to fail it
   */
  @Override
  public void afterTestMethod(TestContext testContext) {
    // A context that failed to load has no double to report on; asking for it again would fail.
    if (!applies(testContext) || !testContext.hasApplicationContext()) {
      return;
    }
    RunningDouble running = running(testContext.getApplicationContext());
    if (running == null) {
      return;
    }
    String test = testContext.getTestMethod().getName() + "()";
    Throwable failure = testContext.getTestException();
    if (failure != null) {
      if (!(failure instanceof TestAbortedException)) {
        running.attachReport(failure, test);
      }
      return;
    }
    String problems = running.strictnessProblems();
    if (!problems.isEmpty()) {
      AssertionError error =
          new AssertionError("The test passed, but smtp-double was asked to fail it:\n" + problems);
      running.attachReport(error, test);
      throw error;
    }
  }

  private static boolean applies(TestContext testContext) {
    return !TestClassSettings.find(testContext.getTestClass()).isEmpty();
  }

  private static RunningDouble running(ApplicationContext context) {
    return context.containsBean(SmtpDoubleContextCustomizer.RUNNING_BEAN_NAME)
        ? context.getBean(SmtpDoubleContextCustomizer.RUNNING_BEAN_NAME, RunningDouble.class)
        : null;
  }
}
