package dev.smtpdouble.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns run.sh's results file into a Markdown table: per row the median over rounds of each
 * target, the ratio of each incumbent to smtp-double, smtp-double's ratio to the minimal responder
 * and the goal from issue 8. Every ratio is the median of the ratios taken within one round (both
 * values measured minutes apart at most, on the same machine state), not a ratio of medians.
 *
 * <p>Input lines: {@code ROUND \t RESULT \t scenario \t target \t metric \t value \t unit}; other
 * lines are ignored.
 */
public final class Report {
  private static final String SD = "smtp-double";
  private static final String VIRTUAL = "minimal-virtual";

  /** One row of the table. */
  private record Row(String scenario, String metric, String label, boolean higherIsBetter, String goal) {}

  private static final List<Row> ROWS =
      List.of(
          new Row("lifecycle", "p50", "lifecycle: create, start, greet, stop (µs, median)", false, "≤1.15"),
          new Row("lifecycle", "p95", "lifecycle (µs, p95)", false, ""),
          new Row("junit", "ms", "JUnit: 200 tests, one server and message each (ms, wall)", false, ""),
          new Row("junit", "per-test", "JUnit: one test (µs, median)", false, ""),
          new Row("tp-1k-1", "msg/s", "1 KiB, 1 client (msg/s)", true, "≥0.80"),
          new Row("tp-1k-1", "cpu", "  CPU per message, whole process (µs)", false, ""),
          new Row("tp-1k-8", "msg/s", "1 KiB, 8 clients (msg/s)", true, "≥0.80"),
          new Row("tp-1k-8", "cpu", "  CPU per message, whole process (µs)", false, ""),
          new Row("tp-1m-1", "MiB/s", "1 MiB, 1 client (MiB/s)", true, "≥0.50"),
          new Row("tp-1m-1", "cpu", "  CPU per message, whole process (µs)", false, ""),
          new Row("tp-1m-8", "MiB/s", "1 MiB, 8 clients (MiB/s)", true, "≥0.50"),
          new Row("tp-1m-8", "cpu", "  CPU per message, whole process (µs)", false, ""),
          new Row("jakarta", "msg/s", "Jakarta Mail, 1,000 messages, one Transport (msg/s)", true, "≥0.90"),
          new Row("jakarta", "best", "  best batch of the run (msg/s)", true, ""),
          new Row("jakarta", "cpu", "  CPU per message, whole process (µs)", false, ""),
          new Row("connections", "ms", "500 connections from 64 threads (ms)", false, "≤1.15"),
          new Row("connections", "slow", "  sessions greeted after >0.9 s (listen queue full)", false, "0"),
          new Row("connections", "failed", "  failed connection attempts", false, "0"),
          new Row("connections", "overflows", "  kernel ListenOverflows during the run", false, "0"),
          new Row("memory", "bytes/msg", "retained heap per 1 KiB message, one connection (bytes)", false, "≤1536 B"),
          new Row("memory-sessions", "bytes/msg", "retained heap per 1 KiB message, one connection each (bytes)", false, ""));

  private Report() {}

  /**
   * Prints the table.
   *
   * @param args the results file
   * @throws IOException when it cannot be read
   */
  public static void main(String[] args) throws IOException {
    // scenario/metric -> target -> round -> value
    Map<String, Map<String, Map<Integer, Double>>> values = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      String[] f = line.split("\t");
      if (f.length >= 7 && f[1].equals("RESULT")) {
        values
            .computeIfAbsent(f[2] + "/" + f[4], k -> new TreeMap<>())
            .computeIfAbsent(f[3], k -> new TreeMap<>())
            .put(Integer.parseInt(f[0]), Double.parseDouble(f[5]));
      } else if (f.length >= 3 && (f[1].startsWith("VALIDATION FAILED") || f[1].equals("FAILED"))) {
        failures.add(String.join(" ", Arrays.copyOfRange(f, 1, f.length)) + " (round " + f[0] + ")");
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("| scenario | smtp-double | GreenMail | Wiser | minimal | GreenMail/sd | Wiser/sd | sd/minimal | goal sd/minimal |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|:---|\n");
    for (Row row : ROWS) {
      Map<String, Map<Integer, Double>> byTarget = values.get(row.scenario + "/" + row.metric);
      if (byTarget == null) {
        continue;
      }
      out.append("| ").append(row.label);
      for (String target : Target.ALL) {
        out.append(" | ").append(format(median(byTarget.get(target))));
      }
      Double gm = roundRatio(byTarget.get("greenmail"), byTarget.get(SD));
      Double wiser = roundRatio(byTarget.get("wiser"), byTarget.get(SD));
      Double toMinimal = roundRatio(byTarget.get(SD), byTarget.get("minimal"));
      out.append(" | ").append(ratio(gm));
      out.append(" | ").append(ratio(wiser));
      out.append(" | ").append(againstMinimal(row) ? ratio(toMinimal) : "");
      out.append(" | ").append(verdict(row, median(byTarget.get(SD)), toMinimal)).append(" |\n");
    }
    appendVirtualAnchor(out, values);
    Map<String, Map<Integer, Double>> scripted = values.get("scripted/msg/s");
    if (scripted != null) {
      Map<Integer, Double> plain = scripted.get(SD);
      Map<Integer, Double> rules = scripted.get("smtp-double+50rules");
      out.append("\nscripted (1 KiB, 1 client): smtp-double without rules ")
          .append(format(median(plain)))
          .append(" msg/s, with 50 rules ")
          .append(format(median(rules)))
          .append(" msg/s; with/without ")
          .append(ratio(roundRatio(rules, plain)));
      Map<String, Map<Integer, Double>> cpu = values.get("scripted/cpu");
      if (cpu != null) {
        out.append("; CPU per message with/without ")
            .append(ratio(roundRatio(cpu.get("smtp-double+50rules"), cpu.get(SD))));
      }
      out.append(" (medians of per-round ratios)\n");
    }
    Map<String, Map<Integer, Double>> jakartaJunit = values.get("junit-jakarta/ms");
    if (jakartaJunit != null) {
      out.append("\nJUnit with Jakarta Mail, 200 tests (medians; per test: setup / body / teardown, µs):\n");
      out.append("| target | wall (ms) | median test (µs) | setup | body | teardown |\n|---|---:|---:|---:|---:|---:|\n");
      for (String target : JUnitOverhead.JAKARTA_TARGETS) {
        out.append("| ").append(target);
        for (String metric : List.of("ms", "per-test", "setup", "body", "teardown")) {
          Map<String, Map<Integer, Double>> m = values.get("junit-jakarta/" + metric);
          out.append(" | ").append(format(m == null ? null : median(m.get(target))));
        }
        out.append(" |\n");
      }
      Double own = roundRatio(jakartaJunit.get(SD), jakartaJunit.get("no-server"));
      out.append("\nsmtp-double (a double per test) / no server, wall time: ")
          .append(ratio(own))
          .append(own == null ? "" : own <= 2 ? " (goal ≤2.00× ✓)" : " (goal ≤2.00× ✗)")
          .append("; a double shared by the class / no server: ")
          .append(ratio(roundRatio(jakartaJunit.get("smtp-double-shared"), jakartaJunit.get("no-server"))))
          .append('\n');
    }
    out.append(
        "\nRatios are a/b of the row's values, the median of the per-round ratios. For times and bytes lower"
            + " is better; for rates higher is better. 'minimal' is the hand-written responder that stores nothing.\n");
    if (!failures.isEmpty()) {
      out.append("\nFAILED RUNS (no result for these):\n");
      for (String failure : failures) {
        out.append("  ").append(failure).append('\n');
      }
    }
    System.out.print(out);
  }

  /**
   * When the run had {@code minimal-virtual} (the minimal responder on virtual threads, as
   * smtp-double runs on Java 21+): smtp-double's ratio to it, row by row, beside the ratio to the
   * platform-thread responder, so a run on Java 21+ tells the JDK's share from the double's.
   */
  private static void appendVirtualAnchor(
      StringBuilder out, Map<String, Map<String, Map<Integer, Double>>> values) {
    StringBuilder rows = new StringBuilder();
    for (Row row : ROWS) {
      Map<String, Map<Integer, Double>> byTarget = values.get(row.scenario + "/" + row.metric);
      if (byTarget == null || !byTarget.containsKey(VIRTUAL) || !againstMinimal(row)) {
        continue;
      }
      rows.append("| ").append(row.label)
          .append(" | ").append(format(median(byTarget.get(SD))))
          .append(" | ").append(format(median(byTarget.get("minimal"))))
          .append(" | ").append(format(median(byTarget.get(VIRTUAL))))
          .append(" | ").append(ratio(roundRatio(byTarget.get(SD), byTarget.get("minimal"))))
          .append(" | ").append(ratio(roundRatio(byTarget.get(SD), byTarget.get(VIRTUAL))))
          .append(" |\n");
    }
    if (rows.length() > 0) {
      out.append("\nThe minimal responder on virtual threads (minimal-virtual), as smtp-double runs on Java 21+:\n")
          .append("| scenario | smtp-double | minimal | minimal-virtual | sd/minimal | sd/minimal-virtual |\n")
          .append("|---|---:|---:|---:|---:|---:|\n")
          .append(rows);
    }
  }

  /** Whether the row compares smtp-double with a minimal responder (not memory, not counts). */
  private static boolean againstMinimal(Row row) {
    return !row.scenario.startsWith("memory") && !row.goal.equals("0");
  }

  private static String verdict(Row row, Double sd, Double toMinimal) {
    if (row.goal.isEmpty()) {
      return "";
    }
    if (row.goal.equals("0")) {
      return sd == null ? "" : sd == 0 ? "0 ✓" : "0 ✗";
    }
    if (row.goal.endsWith("B")) {
      double limit = Double.parseDouble(row.goal.replaceAll("[^0-9.]", ""));
      return sd == null ? row.goal : row.goal + (sd <= limit ? " ✓" : " ✗");
    }
    if (toMinimal == null) {
      return row.goal;
    }
    double limit = Double.parseDouble(row.goal.substring(1));
    boolean met = row.goal.startsWith("≤") ? toMinimal <= limit : toMinimal >= limit;
    return row.goal + (met ? " ✓" : " ✗");
  }

  private static Double roundRatio(Map<Integer, Double> a, Map<Integer, Double> b) {
    if (a == null || b == null) {
      return null;
    }
    List<Double> ratios = new ArrayList<>();
    for (Map.Entry<Integer, Double> entry : a.entrySet()) {
      Double other = b.get(entry.getKey());
      if (other != null && other != 0) {
        ratios.add(entry.getValue() / other);
      }
    }
    return median(ratios);
  }

  private static Double median(Map<Integer, Double> byRound) {
    return byRound == null ? null : median(new ArrayList<>(byRound.values()));
  }

  private static Double median(List<Double> list) {
    if (list.isEmpty()) {
      return null;
    }
    double[] sorted = list.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String format(Double value) {
    if (value == null) {
      return "–";
    }
    double v = value;
    if (Math.abs(v) >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String ratio(Double value) {
    return value == null || value.isNaN() || value.isInfinite() ? "–" : String.format(Locale.ROOT, "%.2f×", value);
  }
}
