package dev.smtpdouble.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Lists the allocations made outside thread-local buffers in a JFR recording, by nearest
 * smtp-double frame (or the top frame when there is none), with their count and largest size, and
 * fails (exit 1) when smtp-double made one of at least the given size: 512 KiB by default, half
 * the 1 MiB region G1 gives a 2 GiB heap, from which size an object is humongous.
 *
 * <pre>
 * java -cp ... dev.smtpdouble.bench.LargeAllocations recording.jfr [bytes]
 * </pre>
 */
public final class LargeAllocations {
  private LargeAllocations() {}

  /**
   * Prints the table.
   *
   * @param args the recording, optionally the size limit in bytes
   * @throws IOException when it cannot be read
   */
  public static void main(String[] args) throws IOException {
    long limit = args.length > 1 ? Long.parseLong(args[1]) : 512 * 1024;
    Map<String, long[]> bySite = new TreeMap<>();
    long events = 0;
    long large = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ObjectAllocationOutsideTLAB")) {
        continue;
      }
      events++;
      String site = site(event);
      long size = event.getLong("allocationSize");
      long[] tally = bySite.computeIfAbsent(site, s -> new long[3]);
      tally[0]++;
      tally[1] = Math.max(tally[1], size);
      if (size >= limit) {
        tally[2]++;
        if (!site.startsWith("(")) {
          large++;
        }
      }
    }
    System.out.printf("%d allocations outside TLABs; by nearest smtp-double frame:%n", events);
    System.out.printf("%8s %12s %8s  %s%n", "count", "largest B", ">=" + limit, "site");
    bySite.forEach((site, t) -> System.out.printf("%8d %12d %8d  %s%n", t[0], t[1], t[2], site));
    System.out.printf("smtp-double allocations of %d bytes or more: %d%n", limit, large);
    System.exit(large == 0 ? 0 : 1);
  }

  private static String site(RecordedEvent event) {
    if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
      return "(no stack)";
    }
    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("dev.smtpdouble.") && !type.startsWith("dev.smtpdouble.bench.")) {
        return type + "." + frame.getMethod().getName();
      }
    }
    RecordedFrame top = event.getStackTrace().getFrames().get(0);
    return "(not smtp-double: " + top.getMethod().getType().getName() + "." + top.getMethod().getName() + ")";
  }
}
