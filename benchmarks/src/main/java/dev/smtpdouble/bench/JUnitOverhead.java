package dev.smtpdouble.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.smtpdouble.bench.junit.PhaseClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A test class of 200 tests, each with its own server and one message, run through the JUnit
 * Platform Launcher inside this (fresh) JVM. The wall time covers discovery and execution,
 * including loading the extension's and the server's classes: what a suite pays. JVM start-up is
 * the same for every target and is left out. Each test checks that its server received exactly
 * the message it sent; the run fails unless all 200 pass.
 */
final class JUnitOverhead {
  static final int TESTS = 200;

  /**
   * The test classes of the Jakarta Mail variant: each test composes a message with Jakarta Mail
   * and sends it with {@code Transport.send} to its own double, or to one double shared by the
   * class, or (the floor) writes it out with no server at all.
   */
  static final Map<String, String> JAKARTA_CLASSES =
      Map.of(
          "smtp-double", "dev.smtpdouble.bench.junit.SmtpDoubleJakartaTests",
          "smtp-double-shared", "dev.smtpdouble.bench.junit.SharedSmtpDoubleJakartaTests",
          "no-server", "dev.smtpdouble.bench.junit.NoServerJakartaTests");

  /** The targets of the Jakarta Mail variant, in run.sh's order. */
  static final List<String> JAKARTA_TARGETS = List.of("no-server", "smtp-double-shared", "smtp-double");

  private final String scenario;
  private final Map<String, String> classes;

  JUnitOverhead(String scenario) {
    this.scenario = scenario;
    this.classes = scenario.equals("junit-jakarta") ? JAKARTA_CLASSES : CLASSES;
  }

  /** The test class for each target. */
  static final Map<String, String> CLASSES =
      Map.of(
          "smtp-double", "dev.smtpdouble.bench.junit.SmtpDoubleJUnitTests",
          "greenmail", "dev.smtpdouble.bench.junit.GreenMailJUnitTests",
          "wiser", "dev.smtpdouble.bench.junit.WiserJUnitTests",
          "minimal", "dev.smtpdouble.bench.junit.MinimalJUnitTests");

  /**
   * Runs the target's test class.
   *
   * @return false when the class is not on the classpath (smtp-double's needs -Pjunit-overhead)
   */
  boolean run(String target) throws Exception {
    String className = classes.get(target);
    if (className == null) {
      throw new IllegalArgumentException("no JUnit-overhead test class for " + target);
    }
    try {
      Class.forName(className, false, JUnitOverhead.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      Harness.note(
          "junit %s: %s is not compiled in (build the benchmarks with -Pjunit-overhead once smtp-double-junit5 exists)",
          target, className);
      return false;
    }
    Map<String, Long> started = new ConcurrentHashMap<>();
    List<Long> durations = Collections.synchronizedList(new ArrayList<>());
    List<long[]> phases = Collections.synchronizedList(new ArrayList<>());
    TestExecutionListener timing =
        new TestExecutionListener() {
          @Override
          public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
              started.put(id.getUniqueId(), System.nanoTime());
            }
          }

          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Long start = started.get(id.getUniqueId());
            if (id.isTest() && start != null) {
              long end = System.nanoTime();
              durations.add(end - start);
              long[] body = PhaseClock.BODIES.get(id.getUniqueId());
              if (body != null && body[1] != 0) {
                phases.add(new long[] {body[0] - start, body[1] - body[0], end - body[1]});
              }
            }
          }
        };
    SummaryGeneratingListener summary = new SummaryGeneratingListener();

    long begin = System.nanoTime();
    Launcher launcher = LauncherFactory.create();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(className))
            .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
            .build();
    launcher.execute(request, summary, timing);
    long nanos = System.nanoTime() - begin;

    TestExecutionSummary s = summary.getSummary();
    if (s.getTestsSucceededCount() != TESTS || s.getTotalFailureCount() != 0) {
      StringBuilder why = new StringBuilder();
      s.getFailures()
          .stream()
          .limit(3)
          .forEach(f -> why.append("\n  ").append(f.getTestIdentifier().getDisplayName()).append(": ").append(f.getException()));
      throw new Harness.ValidationFailed(
          target + ": " + s.getTestsSucceededCount() + " of " + TESTS + " tests passed, "
              + s.getTotalFailureCount() + " failed, " + s.getTestsFoundCount() + " found" + why);
    }
    List<Long> sorted = new ArrayList<>(durations);
    Collections.sort(sorted);
    double medianMicros = sorted.get(sorted.size() / 2) / 1e3;
    Harness.note("%s %s: %d tests passed in %.1f ms (median test %.0f us)", scenario, target, TESTS, nanos / 1e6, medianMicros);
    Harness.result(scenario, target, "ms", nanos / 1e6, "ms");
    Harness.result(scenario, target, "per-test", medianMicros, "us");
    if (phases.size() == TESTS) {
      String[] names = {"setup", "body", "teardown"};
      StringBuilder split = new StringBuilder();
      for (int p = 0; p < names.length; p++) {
        int phase = p;
        long[] sortedPhase = phases.stream().mapToLong(t -> t[phase]).sorted().toArray();
        long total = phases.stream().mapToLong(t -> t[phase]).sum();
        double median = sortedPhase[sortedPhase.length / 2] / 1e3;
        Harness.result(scenario, target, names[p], median, "us");
        Harness.result(scenario, target, names[p] + "-total", total / 1e6, "ms");
        split.append(String.format(Locale.ROOT, "  %s: median %.0f us, total %.1f ms", names[p], median, total / 1e6));
      }
      Harness.note("%s %s phases:%s", scenario, target, split);
    }
    return true;
  }
}
