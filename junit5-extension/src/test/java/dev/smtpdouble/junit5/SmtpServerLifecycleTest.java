package dev.smtpdouble.junit5;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Doubles stop after their test whatever happened to it; tests running in parallel never share one;
 * no thread is left behind.
 */
@Timeout(60)
@Execution(ExecutionMode.SAME_THREAD)
class SmtpServerLifecycleTest {
  static final List<SmtpDouble> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  @Tag("fixture")
  static class FailingTestsTestCase {
    @SmtpServer static SmtpDouble shared;

    @SmtpServer SmtpDouble field;

    @Test
    void failsWithAnAssertion(@SmtpServer SmtpDouble parameter) {
      SEEN.add(field);
      SEEN.add(parameter);
      SEEN.add(shared);
      throw new AssertionError("boom");
    }

    @Test
    void failsWithAnException(@SmtpServer SmtpDouble parameter) {
      SEEN.add(field);
      SEEN.add(parameter);
      throw new IllegalStateException("bang");
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
    void timesOut(@SmtpServer SmtpDouble parameter) throws InterruptedException {
      SEEN.add(field);
      SEEN.add(parameter);
      new CountDownLatch(1).await(); // until the timeout interrupts it
    }

    @Test
    @Timeout(
        value = 200,
        unit = TimeUnit.MILLISECONDS,
        threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void timesOutInASeparateThread(@SmtpServer SmtpDouble parameter) throws InterruptedException {
      SEEN.add(field);
      SEEN.add(parameter);
      new CountDownLatch(1).await(10, TimeUnit.SECONDS);
    }

    @Test
    void stallsAClient(@SmtpServer(script = "stall to DATA") SmtpDouble parameter) {
      SEEN.add(parameter);
      RawClient wire = RawClient.greeted(parameter); // left open on purpose: closing the double ends it
      wire.command("EHLO client.test");
      wire.command("MAIL FROM:<a@example.test>");
      wire.command("RCPT TO:<b@example.test>");
      wire.sendRaw("DATA\r\n");
      throw new AssertionError("gave up on a stalled server");
    }
  }

  @Test
  void everyDoubleStopsWhenItsTestFailsOrTimesOut() {
    EngineExecutionResults results = Fixtures.run(FailingTestsTestCase.class);

    results.testEvents().assertStatistics(stats -> stats.started(5).failed(5));
    assertThat(SEEN).hasSize(10).noneMatch(SmtpDouble::isRunning);
    assertNoDoubleThreadLeft();
  }

  @Test
  void doublesStopAlsoWhenJUnitClosesOnlyCloseableResources() {
    // JUnit 5.13+ and 6 close AutoCloseable store values unless told not to; the holder is also a
    // Store.CloseableResource, which they close in any case.
    EngineExecutionResults results =
        Fixtures.run(
            FailingTestsTestCase.class,
            Map.of("junit.jupiter.extensions.store.close.autocloseable.enabled", "false"));

    results.testEvents().assertStatistics(stats -> stats.started(5).failed(5));
    assertThat(SEEN).hasSize(10).noneMatch(SmtpDouble::isRunning);
  }

  /** The 16 tests meet here twice: once all have their doubles, once all have sent. */
  static final CyclicBarrier STARTED = new CyclicBarrier(16);

  static final CyclicBarrier SENT = new CyclicBarrier(16);
  static final List<String> PORTS_AND_THREADS = new CopyOnWriteArrayList<>();

  @Tag("fixture")
  @SmtpServer
  static class SixteenParallelTestsTestCase {
    private static void sendOnlyMine(SmtpDouble smtp, int number) throws Exception {
      SEEN.add(smtp);
      PORTS_AND_THREADS.add(smtp.port() + " " + Thread.currentThread().getName());
      STARTED.await(20, TimeUnit.SECONDS); // all 16 doubles are running at once
      RawClient.sendMessage(
          smtp,
          "sender" + number + "@example.test",
          "rcpt" + number + "@example.test",
          "message " + number,
          "body " + number);
      SENT.await(20, TimeUnit.SECONDS); // every message has been sent to some double
      assertThat(smtp)
          .hasReceived(1)
          .first()
          .hasFrom("sender" + number + "@example.test")
          .hasRecipients("rcpt" + number + "@example.test")
          .hasSubject("message " + number);
      assertThat(smtp.transcript()).hasSessions(1);
    }

    @Test
    void test01(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 1);
    }

    @Test
    void test02(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 2);
    }

    @Test
    void test03(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 3);
    }

    @Test
    void test04(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 4);
    }

    @Test
    void test05(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 5);
    }

    @Test
    void test06(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 6);
    }

    @Test
    void test07(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 7);
    }

    @Test
    void test08(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 8);
    }

    @Test
    void test09(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 9);
    }

    @Test
    void test10(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 10);
    }

    @Test
    void test11(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 11);
    }

    @Test
    void test12(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 12);
    }

    @Test
    void test13(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 13);
    }

    @Test
    void test14(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 14);
    }

    @Test
    void test15(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 15);
    }

    @Test
    void test16(SmtpDouble smtp) throws Exception {
      sendOnlyMine(smtp, 16);
    }
  }

  @Test
  void sixteenTestsInParallelEachHaveTheirOwnDoubleAndSeeOnlyTheirMessage() {
    STARTED.reset();
    SENT.reset();
    PORTS_AND_THREADS.clear();

    EngineExecutionResults results =
        Fixtures.run(
            SixteenParallelTestsTestCase.class,
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "16"));

    Fixtures.assertAllPassed(results, 16);
    assertThat(SEEN).hasSize(16).doesNotHaveDuplicates().noneMatch(SmtpDouble::isRunning);
    Set<String> ports =
        PORTS_AND_THREADS.stream().map(s -> s.split(" ")[0]).collect(Collectors.toSet());
    Set<String> threads =
        PORTS_AND_THREADS.stream().map(s -> s.split(" ")[1]).collect(Collectors.toSet());
    assertThat(ports).hasSize(16);
    assertThat(threads).hasSize(16); // the barriers above already proved they ran at once
    assertNoDoubleThreadLeft();
  }

  /** Every double closes its acceptor and session threads (all named smtp-double-...). */
  static void assertNoDoubleThreadLeft() {
    await("no smtp-double thread left")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .extracting(Thread::getName)
                    .noneMatch(name -> name.startsWith("smtp-double")));
  }
}
