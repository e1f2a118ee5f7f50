package dev.smtpdouble.robustness;

import static dev.smtpdouble.robustness.Fuzz.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.RawClient;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.internal.server.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * No leaks (issue 9, part 4): thousands of start/close cycles, and hundreds with open, stalled,
 * mid-DATA and mid-BDAT sessions at close, leave no thread (names start with {@code
 * smtp-double}), no open file descriptor ({@code /proc/self/fd} on Linux) and no listening port
 * behind, and {@code close()} always returns within its bound. Isolated: it counts the process's
 * threads and file descriptors.
 *
 * <p>On Java 21 and later the session threads are virtual, which {@link
 * Thread#getAllStackTraces()} does not list: session threads are counted by the double's own
 * bookkeeping ({@link Threads#liveSessionThreads()}), on every Java version, and the other
 * threads (acceptors) by name.
 */
@Isolated
@Timeout(600)
class LeakTest {
  /** {@code close()} promises about five seconds; allow scheduling slack on a busy machine. */
  private static final long CLOSE_BOUND_MILLIS = 6000;

  /** The double's threads: session threads as counted while they run, the others by name. */
  private static long doubleThreads() {
    long others =
        Thread.getAllStackTraces().keySet().stream()
            .map(Thread::getName)
            .filter(name -> name.startsWith("smtp-double") && !name.contains("-session-"))
            .count();
    return others + Threads.liveSessionThreads();
  }

  private static List<String> threadsOfPort(int port) {
    String prefix = "smtp-double-" + port + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .toList();
  }

  /** The smtp-double thread count once it has come down to {@code atMost}, or after 5 s. */
  private static long doubleThreadsSettlingAt(long atMost) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    long count = doubleThreads();
    while (count > atMost && System.nanoTime() < deadline) {
      Robustness.sleep(10);
      count = doubleThreads();
    }
    return count;
  }

  private static boolean procFd() {
    return Files.isDirectory(Path.of("/proc/self/fd"));
  }

  private static long openFileDescriptors() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The descriptor count after a collection, or -1 without {@code /proc/self/fd}. */
  private static long descriptorsNow() {
    if (!procFd()) {
      return -1;
    }
    System.gc();
    return openFileDescriptors();
  }

  /** The descriptor count once it has come down to {@code atMost}, or after 5 s. */
  private static long descriptorsSettlingAt(long atMost) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    long count = openFileDescriptors();
    while (count > atMost && System.nanoTime() < deadline) {
      System.gc(); // sockets a test forgot are closed by their cleaners
      Robustness.sleep(20);
      count = openFileDescriptors();
    }
    return count;
  }

  private static void assertRefused(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      throw new AssertionError("port " + port + " still accepts connections after close()");
    } catch (ConnectException expected) {
      // nothing listens there any more
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long timedClose(SmtpDouble smtp) {
    long start = System.nanoTime();
    smtp.close();
    return System.nanoTime() - start;
  }

  @Test
  void startAndCloseCyclesLeaveNoThreadNoDescriptorAndNoPort() {
    int cycles = 10_000; // under a millisecond each: the full count on every run
    cycle(true);
    long threadsBefore = doubleThreadsSettlingAt(0);
    long fdsBefore = descriptorsNow();
    long maxClose = 0;
    long start = System.nanoTime();
    for (int i = 0; i < cycles; i++) {
      // every tenth cycle a client is greeted first, and still connected at close
      long[] result = cycle(i % 10 == 0);
      maxClose = Math.max(maxClose, result[1]);
      assertRefused((int) result[0]);
      if (i % 100 == 0) {
        assertThat(threadsOfPort((int) result[0])).as("threads of a closed double").isEmpty();
      }
    }
    long millis = Robustness.millisSince(start);
    assertThat(doubleThreadsSettlingAt(threadsBefore)).as("smtp-double threads").isEqualTo(threadsBefore);
    long fdsAfter = -1;
    if (procFd()) {
      fdsAfter = descriptorsSettlingAt(fdsBefore + 5);
      assertThat(fdsAfter).as("open file descriptors").isLessThanOrEqualTo(fdsBefore + 5);
    }
    assertThat(maxClose / 1_000_000).as("slowest close() in ms").isLessThan(CLOSE_BOUND_MILLIS);
    Robustness.report(
        "LeakTest: %d start/close cycles (every tenth with a greeted client) in %d ms (%.2f ms"
            + " each); smtp-double threads %d before and after; file descriptors %d before, %d"
            + " after; slowest close() %.2f ms",
        cycles,
        millis,
        (double) millis / cycles,
        threadsBefore,
        fdsBefore,
        fdsAfter,
        maxClose / 1e6);
  }

  /** Starts, maybe greets a client, closes; returns the port and the close() time in ns. */
  private static long[] cycle(boolean withClient) {
    SmtpDouble smtp = SmtpDouble.start();
    int port = smtp.port();
    long closeNanos;
    if (withClient) {
      try (RawClient client = RawClient.connect(smtp.host(), port, 5000)) {
        assertThat(client.nextReply().code()).isEqualTo(220);
        closeNanos = timedClose(smtp);
      }
    } else {
      closeNanos = timedClose(smtp);
    }
    return new long[] {port, closeNanos};
  }

  @Test
  void closingWithOpenStalledAndMidDataSessionsLeavesNothingBehind() {
    int cycles = 1000; // about ten milliseconds each: the full count on every run
    busyCycle();
    long threadsBefore = doubleThreadsSettlingAt(0);
    long fdsBefore = descriptorsNow();
    long maxClose = 0;
    long totalClose = 0;
    long start = System.nanoTime();
    for (int i = 0; i < cycles; i++) {
      long closeNanos = busyCycle();
      maxClose = Math.max(maxClose, closeNanos);
      totalClose += closeNanos;
    }
    long millis = Robustness.millisSince(start);
    assertThat(doubleThreadsSettlingAt(threadsBefore)).as("smtp-double threads").isEqualTo(threadsBefore);
    long fdsAfter = -1;
    if (procFd()) {
      fdsAfter = descriptorsSettlingAt(fdsBefore + 5);
      assertThat(fdsAfter).as("open file descriptors").isLessThanOrEqualTo(fdsBefore + 5);
    }
    assertThat(maxClose / 1_000_000).as("slowest close() in ms").isLessThan(CLOSE_BOUND_MILLIS);
    Robustness.report(
        "LeakTest: %d cycles closing a double with 5 live sessions (idle, stalled by 'stall to"
            + " DATA', mid-DATA, mid-BDAT, not yet greeted) in %d ms; threads %d before and after;"
            + " file descriptors %d before, %d after; close() %.2f ms on average, %.2f ms at most",
        cycles,
        millis,
        threadsBefore,
        fdsBefore,
        fdsAfter,
        totalClose / 1e6 / cycles,
        maxClose / 1e6);
  }

  /**
   * A double with five sessions at close: greeted and idle, stalled by {@code stall to DATA},
   * in the middle of DATA, in the middle of a BDAT chunk, and connected but not yet greeted.
   * Returns the close() time in ns.
   */
  private static long busyCycle() {
    SmtpDouble smtp = SmtpDouble.builder().script("stall to DATA once").start();
    int port = smtp.port();
    List<RawClient> clients = new ArrayList<>();
    long closeNanos;
    try {
      RawClient idle = connect(smtp, clients);
      idle.write(bytes("EHLO idle.test\r\n"));
      assertThat(idle.nextReply().code()).isEqualTo(250);

      RawClient stalled = connect(smtp, clients);
      stalled.write(
          bytes("EHLO stalled.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n"));
      for (int i = 0; i < 3; i++) {
        assertThat(stalled.nextReply().code()).isEqualTo(250);
      }
      awaitEvent(smtp, 2, "* stalled by script");

      RawClient midData = connect(smtp, clients);
      midData.write(
          bytes("EHLO data.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n"));
      for (int i = 0; i < 3; i++) {
        assertThat(midData.nextReply().code()).isEqualTo(250);
      }
      assertThat(midData.nextReply().code()).isEqualTo(354);
      midData.write(bytes("Subject: never finished\r\n\r\nhalf a li"));

      RawClient midBdat = connect(smtp, clients);
      midBdat.write(
          bytes(
              "EHLO bdat.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n"
                  + "BDAT 1000 LAST\r\nonly some of the thousand"));
      for (int i = 0; i < 3; i++) {
        assertThat(midBdat.nextReply().code()).isEqualTo(250);
      }

      RawClient fresh = RawClient.connect(smtp.host(), port, 5000); // not greeted yet
      clients.add(fresh);

      closeNanos = timedClose(smtp);
      assertRefused(port);
      for (RawClient client : clients) {
        client.readToEnd(); // EOF or reset: the double has let go of every connection
      }
      assertThat(smtp.messages()).as("messages from unfinished data").isEmpty();
      for (Transcript.Session session : smtp.transcript().sessions()) {
        assertThat(session.ending()).isNotEqualTo(Transcript.Ending.OPEN);
      }
      Fuzz.assertNoInternalError(smtp);
      assertThat(threadsOfPort(port)).as("threads of a closed double").isEmpty();
      // the five session threads (virtual on Java 21+, which no stack-trace listing shows) ended
      assertThat(Threads.liveSessionThreads()).as("session threads running").isZero();
    } finally {
      smtp.close();
      clients.forEach(RawClient::close);
    }
    return closeNanos;
  }

  private static RawClient connect(SmtpDouble smtp, List<RawClient> clients) {
    RawClient client = RawClient.connect(smtp.host(), smtp.port(), 5000);
    clients.add(client);
    assertThat(client.nextReply().code()).isEqualTo(220);
    return client;
  }

  private static void awaitEvent(SmtpDouble smtp, int session, String event) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      boolean seen =
          smtp.transcript().session(session).stream()
              .flatMap(s -> s.lines().stream())
              .anyMatch(line -> line.toString().startsWith(event));
      if (seen) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no \"" + event + "\" in session " + session);
      }
      Thread.onSpinWait();
    }
  }
}
