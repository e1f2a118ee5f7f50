package dev.smtpdouble.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog waiting for the disk (several MiB, under the limit at which sessions wait) is held in
 * blocks, never in one array of 512 KiB or more (a humongous object with G1's 1 MiB regions). The
 * disk is made to stall with a named pipe whose reader reads nothing until the lines are in; JFR
 * records every allocation made outside a thread-local buffer. Sizes, not times, are asserted.
 */
@Timeout(60)
class LiveFileBacklogTest {
  private static final long HALF_REGION = 512 * 1024;

  @Test
  void aBacklogIsHeldInBlocksBelowHalfARegion(@TempDir Path folder) throws Exception {
    Path fifo = folder.resolve("stalled.log");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      made = false;
    }
    assumeTrue(made, "needs mkfifo");
    CountDownLatch drain = new CountDownLatch(1);
    long[] read = {0};
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = new FileInputStream(fifo.toFile())) {
                drain.await(30, TimeUnit.SECONDS);
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) > 0; ) {
                  read[0] += n;
                }
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            "stalled-disk");
    reader.start();
    String line = "x".repeat(999);
    int lines = 4096; // 4 MiB: half the limit, so appending never waits
    Path recorded = folder.resolve("allocations.jfr");
    List<String> large = new ArrayList<>();
    byte[] control;
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
      recording.start();
      control = new byte[1 << 20]; // JFR must see this one, or the recording proves nothing
      try (LiveFile live = new LiveFile(fifo, (path, e) -> large.add("write failed: " + e))) {
        for (int i = 0; i < lines; i++) {
          live.append(line);
        }
        drain.countDown();
      }
      recording.stop();
      recording.dump(recorded);
    }
    reader.join(30_000);
    assertEquals((long) lines * (line.length() + 1), read[0], "every line reached the file");
    boolean controlSeen = false;
    for (RecordedEvent event : RecordingFile.readAllEvents(recorded)) {
      if (event.getStackTrace() == null) {
        continue;
      }
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        String type = frame.getMethod().getType().getName();
        if (type.equals(LiveFileBacklogTest.class.getName())) {
          controlSeen |= event.getLong("allocationSize") >= control.length;
          break;
        }
        if (type.equals(LiveFile.class.getName())) {
          if (event.getLong("allocationSize") >= HALF_REGION) {
            large.add(event.getLong("allocationSize") + " bytes at " + frame.getMethod().getName());
          }
          break;
        }
      }
    }
    assertTrue(
        controlSeen,
        "JFR did not see the test's own 1 MiB array: run with G1's 1 MiB regions"
            + " (-XX:+UseG1GC -XX:G1HeapRegionSize=1m, as core's surefire does)");
    assertEquals(List.of(), large);
  }
}
