package dev.smtpdouble.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs the {@code *TestCase} fixture classes through the Jupiter engine with EngineTestKit, the way
 * JUnit tests its own extensions.
 */
public final class Fixtures {
  private Fixtures() {}

  /** Runs a fixture class. */
  public static EngineExecutionResults run(Class<?> testCase) {
    return run(testCase, Map.of());
  }

  /** Runs fixture classes together, with configuration parameters. */
  public static EngineExecutionResults run(Map<String, String> parameters, Class<?>... testCases) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(Arrays.stream(testCases).map(c -> selectClass(c)).toArray(ClassSelector[]::new))
        .configurationParameters(parameters)
        .execute();
  }

  /** Runs a fixture class with configuration parameters. */
  public static EngineExecutionResults run(Class<?> testCase, Map<String, String> parameters) {
    return run(parameters, testCase);
  }

  /**
   * Checks that every test of the run passed and how many there were; on failure the message shows
   * each failed test's throwable, so a broken fixture explains itself.
   */
  public static void assertAllPassed(EngineExecutionResults results, int tests) {
    List<Event> failed = results.allEvents().failed().list();
    if (!failed.isEmpty()) {
      AssertionError error = new AssertionError("fixture tests failed: " + failed);
      failed.forEach(
          event ->
              event
                  .getPayload(TestExecutionResult.class)
                  .flatMap(TestExecutionResult::getThrowable)
                  .ifPresent(error::addSuppressed));
      throw error;
    }
    results.testEvents().assertStatistics(stats -> stats.started(tests).succeeded(tests));
  }

  /** The throwable of the one failed test event, or of the one failed container. */
  public static Throwable failure(EngineExecutionResults results) {
    List<Event> failed = results.allEvents().failed().list();
    if (failed.size() != 1) {
      throw new AssertionError("expected exactly one failed test or container, but got: " + failed);
    }
    return throwable(failed.get(0));
  }

  /** The throwable an event's execution result carries. */
  public static Throwable throwable(Event event) {
    Optional<Throwable> throwable =
        event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable);
    return throwable.orElseThrow(() -> new AssertionError("no throwable in " + event));
  }

  /** Every report entry published during the run, key to values, in order. */
  public static List<Map<String, String>> reportEntries(EngineExecutionResults results) {
    return results.allEvents().reportingEntryPublished().stream()
        .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .collect(Collectors.toList());
  }
}
