package dev.smtpdouble.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/** Runs {@link LifecycleBenchmark} for one target through JMH (one fork) and reports p50 and p95. */
final class Lifecycle {
  private final boolean quick;

  Lifecycle(boolean quick) {
    this.quick = quick;
  }

  void run(String target) throws Exception {
    // fail fast, in this JVM, when the target cannot even do one cycle
    LifecycleBenchmark probe = new LifecycleBenchmark();
    probe.target = target;
    probe.cycle();

    Options options =
        new OptionsBuilder()
            .include(LifecycleBenchmark.class.getName() + ".cycle")
            .param("target", target)
            .forks(1)
            .warmupIterations(quick ? 2 : 3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 2 : 4)
            .measurementTime(TimeValue.seconds(1))
            .shouldFailOnError(true)
            .jvmArgs(forkOptions())
            .build();
    Collection<RunResult> results = new Runner(options).run();
    if (results.size() != 1) {
      throw new Harness.ValidationFailed("JMH produced " + results.size() + " results");
    }
    Statistics statistics = results.iterator().next().getPrimaryResult().getStatistics();
    if (statistics.getN() < 100) {
      throw new Harness.ValidationFailed("only " + statistics.getN() + " lifecycle samples");
    }
    Harness.note("lifecycle %s: %d cycles sampled", target, statistics.getN());
    Harness.result("lifecycle", target, "p50", statistics.getPercentile(50), "us");
    Harness.result("lifecycle", target, "p95", statistics.getPercentile(95), "us");
  }

  /** This JVM's options for the fork (run.sh sets them per scenario), less any JFR recording. */
  private static String[] forkOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> !option.startsWith("-XX:StartFlightRecording") && !option.startsWith("-XX:+FlightRecorder"))
        .toArray(String[]::new);
  }
}
