package dev.smtpdouble.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a scenario: CPU samples by thread group, hot methods (top frame)
 * on smtp-double's session threads, the nearest smtp-double frame of those samples (which core
 * method the time is spent under), and allocation by class and nearest smtp-double frame.
 *
 * <pre>
 * java -cp ... dev.smtpdouble.bench.JfrTop recording.jfr [top-N]
 * </pre>
 */
public final class JfrTop {
  private JfrTop() {}

  /**
   * Prints the summary.
   *
   * @param args the recording, optionally how many lines per table
   * @throws IOException when it cannot be read
   */
  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Map<String, Long> byThread = new HashMap<>();
    Map<String, Long> selfOnServer = new HashMap<>();
    Map<String, Long> coreOnServer = new HashMap<>();
    Map<String, Long> nativeOnServer = new HashMap<>();
    long nativeSamples = 0;
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> allocBySite = new HashMap<>();
    long serverSamples = 0;
    long samples = 0;
    long allocated = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      String type = event.getEventType().getName();
      if (type.equals("jdk.ExecutionSample")) {
        samples++;
        RecordedThread thread = event.getThread("sampledThread");
        String group = group(thread == null ? "?" : thread.getJavaName());
        byThread.merge(group, 1L, Long::sum);
        if (group.equals("server session")) {
          serverSamples++;
          RecordedStackTrace stack = event.getStackTrace();
          if (stack != null && !stack.getFrames().isEmpty()) {
            selfOnServer.merge(frame(stack.getFrames().get(0)), 1L, Long::sum);
            coreOnServer.merge(nearestCore(stack.getFrames()), 1L, Long::sum);
          }
        }
      } else if (type.equals("jdk.NativeMethodSample")) {
        RecordedThread thread = event.getThread("sampledThread");
        RecordedStackTrace stack = event.getStackTrace();
        if (thread != null && group(thread.getJavaName()).equals("server session") && stack != null && !stack.getFrames().isEmpty()) {
          nativeSamples++;
          nativeOnServer.merge(frame(stack.getFrames().get(0)) + "  <-  " + nearestCore(stack.getFrames()), 1L, Long::sum);
        }
      } else if (type.equals("jdk.ObjectAllocationSample")) {
        RecordedThread thread = event.getThread("eventThread");
        if (thread == null || !group(thread.getJavaName()).equals("server session")) {
          continue;
        }
        long weight = event.getLong("weight");
        allocated += weight;
        String cls = event.getClass("objectClass").getName();
        allocByClass.merge(cls, weight, Long::sum);
        RecordedStackTrace stack = event.getStackTrace();
        String site = stack == null ? "?" : nearestCore(stack.getFrames());
        allocBySite.merge(cls + "  <-  " + site, weight, Long::sum);
      }
    }
    System.out.printf(Locale.ROOT, "%d execution samples; by thread:%n", samples);
    print(byThread, samples, top);
    System.out.printf(Locale.ROOT, "%nserver-session samples (%d), hot methods (top frame):%n", serverSamples);
    print(selfOnServer, serverSamples, top);
    System.out.printf(Locale.ROOT, "%nserver-session samples by nearest smtp-double frame (inclusive):%n");
    print(coreOnServer, serverSamples, top);
    System.out.printf(Locale.ROOT, "%nserver-session threads in native code (%d samples; blocked or in the kernel):%n", nativeSamples);
    print(nativeOnServer, nativeSamples, top);
    System.out.printf(Locale.ROOT, "%nallocation on server threads, sampled weight %.1f MiB, by class:%n", allocated / 1048576.0);
    print(allocByClass, allocated, top);
    System.out.printf(Locale.ROOT, "%nallocation by class and nearest smtp-double frame:%n");
    print(allocBySite, allocated, top);
  }

  private static String group(String thread) {
    if (thread == null) {
      return "?";
    }
    if (thread.startsWith("smtp-double-") && thread.contains("-session-")) {
      return "server session";
    }
    if (thread.startsWith("smtp-double-")) {
      return "server acceptor";
    }
    if (thread.startsWith("client-") || thread.startsWith("pool-") || thread.equals("main")) {
      return "benchmark client";
    }
    if (thread.contains("GC") || thread.contains("Compiler") || thread.contains("JFR") || thread.contains("VM")) {
      return "JVM: " + thread.replaceAll("[0-9#]+", "").strip();
    }
    return thread.replaceAll("[0-9]+", "N");
  }

  private static String frame(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName() + (frame.isJavaFrame() ? "" : " (native)");
  }

  private static String nearestCore(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("dev.smtpdouble.") && !type.startsWith("dev.smtpdouble.bench.")) {
        return type.substring("dev.smtpdouble.".length()) + "." + frame.getMethod().getName() + ":" + frame.getLineNumber();
      }
    }
    return frames.isEmpty() ? "?" : "(no smtp-double frame) " + frame(frames.get(0));
  }

  private static void print(Map<String, Long> counts, long total, int top) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }
}
