package dev.smtpdouble.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Retained heap per captured 1 KiB message: used heap after full collections, measured with the
 * target running and holding what it received, before and after {@code messages} messages (plus
 * everything the server keeps about them: for smtp-double the transcript too). A warm-up session
 * first loads the classes and fills the caches, so they are in the baseline. The sessions end
 * with QUIT before the heap is read, so per-connection buffers are not counted; run.sh starts this
 * JVM with the serial collector so that "used after a full GC" is exact.
 *
 * <p>Two variants: all messages over one connection ({@code memory}), and one connection per
 * message ({@code memory-sessions}, fewer messages), which adds each session's own transcript.
 */
final class Memory {
  private static final int WARMUP = 200;

  private final String scenario;
  private final int messages;
  private final boolean sessionPerMessage;

  Memory(String scenario, int messages, boolean sessionPerMessage) {
    this.scenario = scenario;
    this.messages = messages;
    this.sessionPerMessage = sessionPerMessage;
  }

  void run(Target target) throws Exception {
    byte[] data = Messages.ofSize(Messages.KIB);
    byte[] wire = Messages.withTerminator(data);
    target.start();
    try {
      send(target, wire, WARMUP);
      Harness.awaitCount(target, WARMUP);
      Harness.sleep(200); // let the warm-up session end on the server too
      long before = settledUsedHeap();
      send(target, wire, messages);
      Harness.awaitCount(target, WARMUP + messages);
      Harness.sleep(200);
      long after = settledUsedHeap();
      Harness.validate(target, WARMUP + messages, data);
      double perMessage = (after - before) / (double) messages;
      Harness.note(
          "%s %s: used heap %d -> %d bytes after %d messages of %d octets (%s)",
          scenario, target.name(), before, after, messages, data.length,
          sessionPerMessage ? "one connection each" : "one connection");
      Harness.result(scenario, target.name(), "bytes/msg", perMessage, "bytes");
    } finally {
      target.stop();
    }
  }

  private void send(Target target, byte[] wire, int count) throws Exception {
    if (sessionPerMessage) {
      for (int i = 0; i < count; i++) {
        try (SmtpClient client = SmtpClient.connect(target.host(), target.port(), 30_000)) {
          client.greetAndEhlo();
          client.send(wire);
          client.quit();
        }
      }
    } else {
      try (SmtpClient client = SmtpClient.connect(target.host(), target.port(), 30_000)) {
        client.greetAndEhlo();
        for (int i = 0; i < count; i++) {
          client.send(wire);
        }
        client.quit();
      }
    }
  }

  /** Used heap after full collections, repeated until two readings agree within 1 KiB. */
  static long settledUsedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Harness.sleep(50);
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - previous) < 1024) {
        return Math.min(used, previous);
      }
      previous = used;
    }
    return previous;
  }
}
