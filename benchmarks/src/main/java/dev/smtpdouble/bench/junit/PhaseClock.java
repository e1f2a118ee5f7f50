package dev.smtpdouble.bench.junit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks when each test's body starts and ends, so that a test's time splits into its setup (JUnit's
 * own, the {@code @BeforeEach} callbacks, parameter resolution: where a double starts), its body
 * (composing and sending the message, reading it back) and its teardown (the {@code @AfterEach}
 * callbacks and the closing of the test's store: where a double stops). The launcher's listener
 * gives the start and end of the whole test.
 */
public final class PhaseClock implements BeforeTestExecutionCallback, AfterTestExecutionCallback {
  /** Per test (unique id): nanoTime when its body started and ended. */
  public static final Map<String, long[]> BODIES = new ConcurrentHashMap<>();

  /** Registered by {@code @ExtendWith}. */
  public PhaseClock() {}

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    BODIES.put(context.getUniqueId(), new long[] {System.nanoTime(), 0});
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    long[] body = BODIES.get(context.getUniqueId());
    if (body != null) {
      body[1] = System.nanoTime();
    }
  }
}
