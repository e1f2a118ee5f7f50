package dev.smtpdouble.junit5;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How long the assertions wait: the configuration parameter {@code smtpdouble.await.timeout}, the
 * annotation's {@code awaitTimeout}, {@code within(..)} per assertion; never leaking between tests
 * running in parallel, and following the double into other threads.
 */
@Timeout(60)
class AwaitTimeoutTest {

  @Tag("fixture")
  @SmtpServer
  static class LayersTestCase {
    @Test
    void theConfigurationParameterSetsTheDefault(SmtpDouble smtp) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> assertThat(smtp).hasReceived(1))
          .hasMessageContaining("\nwithin 200 ms, but it received:\n  0 messages\n");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theAnnotationWinsOverTheParameter(@SmtpServer(awaitTimeout = "300ms") SmtpDouble smtp) {
      assertThatThrownBy(() -> assertThat(smtp).hasReceived(1))
          .hasMessageContaining("\nwithin 300 ms, but");
    }

    @Test
    @SmtpServer(awaitTimeout = "PT0.35S")
    void aMethodAnnotationWinsToo(SmtpDouble smtp) {
      assertThatThrownBy(() -> assertThat(smtp).first())
          .hasMessageContaining("\nwithin 350 ms, but");
    }

    @Test
    void withinWinsOverEverything(SmtpDouble smtp) {
      assertThatThrownBy(() -> assertThat(smtp).within(Duration.ofMillis(100)).hasReceived(1))
          .hasMessageContaining("\nwithin 100 ms, but");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theTimeoutFollowsTheDoubleIntoOtherThreads(
        @SmtpServer(awaitTimeout = "250ms") SmtpDouble smtp) throws Exception {
      Throwable fromHelper =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      assertThat(smtp).hasReceived(1);
                      return null;
                    } catch (AssertionError e) {
                      return e;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      assertThat(fromHelper).hasMessageContaining("\nwithin 250 ms, but");
    }
  }

  @Test
  void configurationParameterAnnotationAndWithinApplyInThatOrder() {
    Fixtures.assertAllPassed(
        Fixtures.run(LayersTestCase.class, Map.of(SmtpServer.AWAIT_TIMEOUT_PROPERTY_NAME, "200ms")),
        5);
  }

  static final CyclicBarrier TOGETHER = new CyclicBarrier(2);

  @Tag("fixture")
  @SmtpServer(awaitTimeout = "200ms")
  static class ShortTimeoutTestCase {
    @Test
    void timesOutQuickly(SmtpDouble smtp) throws Exception {
      TOGETHER.await(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> assertThat(smtp).hasReceived(1))
          .hasMessageContaining("\nwithin 200 ms, but");
    }
  }

  @Tag("fixture")
  @SmtpServer
  static class LongTimeoutTestCase {
    @Test
    void waitsLongerForALateMessage(SmtpDouble smtp) throws Exception {
      TOGETHER.await(10, TimeUnit.SECONDS);
      CompletableFuture.runAsync(
          () -> RawClient.sendMessage(smtp, "late@example.test", "b@example.test", "late", "body"),
          CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));
      assertThat(smtp).hasReceived(1).first().hasFrom("late@example.test");
    }
  }

  @Test
  void parallelTestsNeverSeeEachOthersTimeout() {
    TOGETHER.reset();

    Fixtures.assertAllPassed(
        Fixtures.run(
            Map.of(
                SmtpServer.AWAIT_TIMEOUT_PROPERTY_NAME,
                "10 s",
                "junit.jupiter.execution.parallel.enabled",
                "true",
                "junit.jupiter.execution.parallel.mode.default",
                "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default",
                "concurrent",
                "junit.jupiter.execution.parallel.config.strategy",
                "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism",
                "4"),
            ShortTimeoutTestCase.class,
            LongTimeoutTestCase.class),
        2);
  }
}
