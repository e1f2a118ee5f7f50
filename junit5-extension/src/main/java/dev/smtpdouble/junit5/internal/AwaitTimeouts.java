package dev.smtpdouble.junit5.internal;

import dev.smtpdouble.SmtpDouble;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * How long the assertions wait for a given double by default.
 *
 * <p>The default belongs to the double, not to a thread: the extension knows every double it starts
 * and registers the timeout of its annotation or of the configuration parameter {@code
 * smtpdouble.await.timeout} here; the assertions look it up when they are created. So the value
 * follows the double into whatever thread asserts on it (a {@code @Timeout} running the test in a
 * separate thread, a helper thread), and tests running in parallel, each with its own doubles,
 * never see each other's. The extension removes the entry when it closes the double; the map holds
 * its keys weakly as a second line of defence. Doubles the extension did not start get {@link
 * #DEFAULT}.
 */
public final class AwaitTimeouts {
  /** The timeout when nothing else is configured: 5 seconds. */
  public static final Duration DEFAULT = Duration.ofSeconds(5);

  private static final Map<SmtpDouble, Duration> BY_DOUBLE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private AwaitTimeouts() {}

  /**
   * Sets the default timeout for a double.
   *
   * @param smtp the double
   * @param timeout the timeout
   */
  public static void register(SmtpDouble smtp, Duration timeout) {
    BY_DOUBLE.put(Objects.requireNonNull(smtp, "smtp"), Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Forgets a double's timeout.
   *
   * @param smtp the double
   */
  public static void unregister(SmtpDouble smtp) {
    BY_DOUBLE.remove(smtp);
  }

  /**
   * The default timeout for a double.
   *
   * @param smtp the double
   * @return its registered timeout, or {@link #DEFAULT}
   */
  public static Duration of(SmtpDouble smtp) {
    Duration timeout = smtp == null ? null : BY_DOUBLE.get(smtp);
    return timeout == null ? DEFAULT : timeout;
  }
}
