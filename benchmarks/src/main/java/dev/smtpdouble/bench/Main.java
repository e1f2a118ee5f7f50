package dev.smtpdouble.bench;

import java.util.List;

/**
 * Runs one scenario against one target in this JVM and prints {@code RESULT} lines; run.sh starts
 * a fresh JVM for each pair. Exits 3 when the server did not receive exactly what was sent.
 *
 * <pre>
 * java -cp ... dev.smtpdouble.bench.Main SCENARIO TARGET [--quick]
 * </pre>
 */
public final class Main {
  /** Every scenario, in the order run.sh runs and the table shows them. */
  public static final List<String> SCENARIOS =
      List.of(
          "lifecycle", "junit", "junit-jakarta", "tp-1k-1", "tp-1k-8", "tp-1m-1", "tp-1m-8", "jakarta",
          "connections", "memory", "memory-sessions", "scripted");

  private Main() {}

  /**
   * Entry point.
   *
   * @param args scenario, target, optionally {@code --quick}
   * @throws Exception on an unexpected failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Main SCENARIO TARGET [--quick]\n  scenarios: " + SCENARIOS + "\n  targets: " + Target.ALL + ", minimal-virtual (Java 21+), smtp-double+50rules (scripted)");
      System.exit(2);
    }
    String scenario = args[0];
    String target = args[1];
    boolean quick = args.length > 2 && args[2].equals("--quick");
    if (target.equals("minimal-virtual") && Runtime.version().feature() < 21) {
      System.out.println(
          "SKIPPED\t" + scenario + "\t" + target + "\tneeds virtual threads (Java 21 or later)");
      System.exit(0);
    }
    try {
      run(scenario, target, quick);
    } catch (Harness.ValidationFailed e) {
      System.out.println("VALIDATION FAILED\t" + scenario + "\t" + target + "\t" + e.getMessage());
      System.err.println("VALIDATION FAILED: " + scenario + " on " + target + ": " + e.getMessage());
      System.exit(3);
    }
    System.exit(0); // some servers leave non-daemon threads behind
  }

  static void run(String scenario, String target, boolean quick) throws Exception {
    switch (scenario) {
      case "lifecycle" -> new Lifecycle(quick).run(target);
      case "junit", "junit-jakarta" -> {
        if (!new JUnitOverhead(scenario).run(target)) {
          System.out.println("SKIPPED\t" + scenario + "\t" + target + "\tneeds -Pjunit-overhead");
        }
      }
      case "tp-1k-1" -> new Throughput(scenario, Messages.KIB, 1, quick).run(Target.create(target));
      case "tp-1k-8" -> new Throughput(scenario, Messages.KIB, 8, quick).run(Target.create(target));
      case "tp-1m-1" -> new Throughput(scenario, Messages.MIB, 1, quick).run(Target.create(target));
      case "tp-1m-8" -> new Throughput(scenario, Messages.MIB, 8, quick).run(Target.create(target));
      case "jakarta" -> new JakartaThroughput(quick).run(Target.create(target));
      case "connections" -> new Connections().run(Target.create(target));
      case "memory" -> new Memory(scenario, 10_000, false).run(Target.create(target));
      case "memory-sessions" -> new Memory(scenario, quick ? 1_000 : 2_000, true).run(Target.create(target));
      case "scripted" -> {
        if (!target.startsWith("smtp-double")) {
          throw new IllegalArgumentException("scripted runs smtp-double and smtp-double+50rules only");
        }
        new Throughput(scenario, Messages.KIB, 1, quick).run(Target.create(target));
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario + "; one of " + SCENARIOS);
    }
  }
}
