package dev.smtpdouble.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Raw clients over persistent connections, lock-step MAIL/RCPT/DATA, each client on its own
 * thread, all sending the same message for a fixed time (or until a byte budget is spent, so the
 * servers that keep everything stay within the heap). Warm-up phases come first, each on new
 * connections and each followed by the target forgetting what it received, as the measured phase
 * is: with one warm-up only, the measured phase was the first time the JIT saw sessions end and
 * new ones start after it had compiled the message loop (on Java 25 that threw the compiled code
 * away for about 2 s). Several warm-up iterations, as JMH runs. The measured phase starts once
 * every client has connected and said EHLO.
 */
final class Throughput {
  private final String scenario;
  private final int size;
  private final int clients;
  private final double warmupSeconds;
  private final int warmups;
  private final double seconds;

  Throughput(String scenario, int size, int clients, boolean quick) {
    this.scenario = scenario;
    this.size = size;
    this.clients = clients;
    // -Dbench.warmup=S and -Dbench.seconds=S override the phases, e.g. for a longer JFR profile
    this.warmupSeconds = Double.parseDouble(System.getProperty("bench.warmup", quick ? "0.5" : "1.5"));
    this.warmups = Integer.getInteger("bench.warmups", quick ? 1 : 2);
    this.seconds = Double.parseDouble(System.getProperty("bench.seconds", quick ? "1.0" : "2.5"));
  }

  void run(Target target) throws Exception {
    byte[] data = Messages.ofSize(size);
    byte[] wire = Messages.withTerminator(data);
    target.start();
    try {
      for (int i = 0; i < warmups; i++) {
        Phase warmup = phase(target, wire, warmupSeconds, 256L * Messages.MIB);
        Harness.validate(target, warmup.messages, data);
        target.clear();
      }
      long budget = Long.getLong("bench.budgetMiB", 1024L) * Messages.MIB;
      Phase measured = phase(target, wire, seconds, budget);
      Harness.validate(target, measured.messages, data);
      double elapsed = measured.nanos / 1e9;
      double perSecond = measured.messages / elapsed;
      double mibPerSecond = measured.messages * (double) size / Messages.MIB / elapsed;
      Harness.note(
          "%s %s: %d messages of %d octets from %d client(s) in %.3f s",
          scenario, target.name(), measured.messages, size, clients, elapsed);
      Harness.result(scenario, target.name(), "msg/s", perSecond, "msg/s");
      Harness.result(scenario, target.name(), "MiB/s", mibPerSecond, "MiB/s");
      // CPU of the whole process (clients, server, GC, JIT) per message: less sensitive to other
      // load on the machine than the rates
      Harness.result(scenario, target.name(), "cpu", measured.cpuNanos / 1e3 / measured.messages, "us/msg");
    } finally {
      target.stop();
    }
  }

  private record Phase(long messages, long nanos, long cpuNanos) {}

  private Phase phase(Target target, byte[] wire, double phaseSeconds, long byteBudget) throws Exception {
    List<SmtpClient> connections = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        SmtpClient client = SmtpClient.connect(target.host(), target.port(), 30_000);
        connections.add(client);
        client.greetAndEhlo();
      }
      long perClientBudget = Math.max(wire.length, byteBudget / clients);
      CountDownLatch go = new CountDownLatch(1);
      long[] counts = new long[clients];
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long[] deadline = new long[1];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int index = i;
        SmtpClient client = connections.get(i);
        Thread thread =
            new Thread(
                () -> {
                  try {
                    go.await();
                    long sent = 0;
                    long n = 0;
                    long end = deadline[0];
                    do {
                      client.send(wire);
                      n++;
                      sent += wire.length;
                    } while (System.nanoTime() < end && sent + wire.length <= perClientBudget);
                    counts[index] = n;
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                },
                "client-" + i);
        threads.add(thread);
        thread.start();
      }
      long cpuStart = Harness.processCpuNanos();
      long start = System.nanoTime();
      deadline[0] = start + (long) (phaseSeconds * 1e9);
      go.countDown(); // publishes deadline[0] to the client threads
      for (Thread thread : threads) {
        thread.join();
      }
      long nanos = System.nanoTime() - start;
      long cpuNanos = Harness.processCpuNanos() - cpuStart;
      if (failure.get() != null) {
        throw new Harness.ValidationFailed(target.name() + ": a client failed: " + failure.get());
      }
      for (SmtpClient client : connections) {
        client.quit();
      }
      long total = 0;
      for (long count : counts) {
        total += count;
      }
      return new Phase(total, nanos, cpuNanos);
    } finally {
      for (SmtpClient client : connections) {
        try {
          client.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }
}
