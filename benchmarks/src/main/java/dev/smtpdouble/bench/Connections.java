package dev.smtpdouble.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many short sessions at once: 500 clients from 64 threads, each with its own connection and one
 * message (greeting, EHLO, MAIL, RCPT, DATA, QUIT). Counts connections that failed (and were
 * retried) and sessions whose greeting took over 900 ms: the signature of a full listen queue,
 * where the kernel drops the handshake and the client retransmits a second later. The kernel's own
 * ListenOverflows/ListenDrops counters (network namespace wide) are read before and after.
 */
final class Connections {
  private static final int THREADS = 64;
  private static final int CLIENTS = 500;
  private static final int WARMUP = 128;
  private static final int ATTEMPTS = 3;
  private static final long SLOW_NANOS = 900_000_000L;

  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong slow = new AtomicLong();

  void run(Target target) throws Exception {
    byte[] data = Messages.ofSize(Messages.KIB);
    byte[] wire = Messages.withTerminator(data);
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(THREADS);
    pool.prestartAllCoreThreads();
    target.start();
    try {
      burst(pool, target, wire, WARMUP);
      Harness.validate(target, WARMUP, data);
      target.clear();
      failures.set(0);
      slow.set(0);
      long[] before = listenCounters();
      long start = System.nanoTime();
      burst(pool, target, wire, CLIENTS);
      long nanos = System.nanoTime() - start;
      long[] after = listenCounters();
      Harness.validate(target, CLIENTS, data);
      Harness.note(
          "connections %s: %d clients from %d threads in %.1f ms; %d failed attempts, %d slow greetings, ListenOverflows +%d, ListenDrops +%d",
          target.name(), CLIENTS, THREADS, nanos / 1e6, failures.get(), slow.get(), after[0] - before[0], after[1] - before[1]);
      Harness.result("connections", target.name(), "ms", nanos / 1e6, "ms");
      Harness.result("connections", target.name(), "failed", failures.get(), "attempts");
      Harness.result("connections", target.name(), "slow", slow.get(), "sessions");
      if (before[0] >= 0 && after[0] >= 0) {
        Harness.result("connections", target.name(), "overflows", after[0] - before[0], "(kernel)");
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
      target.stop();
    }
  }

  private void burst(ExecutorService pool, Target target, byte[] wire, int clients) throws Exception {
    List<Callable<Void>> tasks = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      tasks.add(() -> {
        session(target, wire);
        return null;
      });
    }
    for (Future<Void> future : pool.invokeAll(tasks)) {
      future.get();
    }
  }

  private void session(Target target, byte[] wire) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      long start = System.nanoTime();
      SmtpClient client;
      try {
        client = SmtpClient.connect(target.host(), target.port(), 10_000);
      } catch (IOException e) {
        failures.incrementAndGet();
        last = e;
        continue;
      }
      try (client) {
        client.expect(220);
        if (System.nanoTime() - start > SLOW_NANOS) {
          slow.incrementAndGet();
        }
        client.command(SmtpClient.EHLO, 250);
        client.send(wire);
        client.quit();
        return;
      } catch (IOException e) {
        // a session that failed after its message was accepted would be counted twice: fail loudly
        throw new Harness.ValidationFailed(target.name() + ": a session failed after connecting: " + e);
      }
    }
    throw new Harness.ValidationFailed(target.name() + ": could not connect in " + ATTEMPTS + " attempts: " + last);
  }

  /** TcpExt ListenOverflows and ListenDrops from /proc/net/netstat, or -1 where not readable. */
  static long[] listenCounters() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
      for (int i = 0; i + 1 < lines.size(); i++) {
        if (lines.get(i).startsWith("TcpExt:") && lines.get(i + 1).startsWith("TcpExt:")) {
          String[] names = lines.get(i).split(" ");
          String[] values = lines.get(i + 1).split(" ");
          long overflows = -1;
          long drops = -1;
          for (int k = 1; k < names.length && k < values.length; k++) {
            if (names[k].equals("ListenOverflows")) {
              overflows = Long.parseLong(values[k]);
            } else if (names[k].equals("ListenDrops")) {
              drops = Long.parseLong(values[k]);
            }
          }
          return new long[] {overflows, drops};
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable
    }
    return new long[] {-1, -1};
  }
}
