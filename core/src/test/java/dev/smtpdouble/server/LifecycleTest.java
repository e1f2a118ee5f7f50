package dev.smtpdouble.server;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.sleep;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Start and close: ready when start() returns, close() bounded, nothing left behind. Isolated
 * because it counts the process's threads and file descriptors.
 */
@Isolated
@Timeout(60)
class LifecycleTest {
  private static final int CYCLES = 200;
  private static final Pattern THREAD_NAME = Pattern.compile("smtp-double-(\\d+)-");

  private static long doubleThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("smtp-double"))
        .count();
  }

  /** The live threads of the doubles that listened on these ports (names carry the port). */
  private static List<String> threadsOf(Set<Integer> ports) {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(
            name -> {
              Matcher matcher = THREAD_NAME.matcher(name);
              return matcher.lookingAt() && ports.contains(Integer.parseInt(matcher.group(1)));
            })
        .toList();
  }

  /** The smtp-double thread count once it has come down to {@code at most}, or after 2 s. */
  private static long doubleThreadsSettlingAt(long atMost) {
    long deadline = System.nanoTime() + 2_000_000_000L;
    long count = doubleThreads();
    while (count > atMost && System.nanoTime() < deadline) {
      sleep(10);
      count = doubleThreads();
    }
    return count;
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static void assertRefused(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      throw new AssertionError("port " + port + " still accepts connections");
    } catch (ConnectException expected) {
      // nothing listens there any more
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a double, reads its greeting right away and closes the double while the client is still
   * connected, so close() has a session to end; returns its port.
   */
  private static int cycle() {
    SmtpDouble smtp = SmtpDouble.start();
    RawClient client = RawClient.connect(smtp);
    try {
      client.expect(GREETING);
      smtp.close();
    } finally {
      client.close();
      smtp.close();
    }
    return smtp.port();
  }

  @Test
  void isReadyToGreetWhenStartReturns() {
    for (int i = 0; i < 20; i++) {
      try (SmtpDouble smtp = SmtpDouble.start();
          RawClient client = RawClient.connect(smtp)) {
        client.expect(GREETING);
        assertThat(smtp.isRunning()).isTrue();
      }
    }
  }

  @Test
  void listensOnLoopbackOnAFreePort() {
    try (SmtpDouble smtp = SmtpDouble.start();
        SmtpDouble other = SmtpDouble.start()) {
      assertThat(smtp.host()).isEqualTo("127.0.0.1");
      assertThat(smtp.port()).isPositive().isNotEqualTo(other.port());
      assertThat(smtp.address()).isEqualTo(new InetSocketAddress("127.0.0.1", smtp.port()));
      assertThat(smtp.settings().port()).isZero();
    }
  }

  @Test
  void aPortInUseIsAClearError() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      assertThatThrownBy(() -> SmtpDouble.builder().port(smtp.port()).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("smtp-double cannot listen on 127.0.0.1:" + smtp.port());
    }
  }

  @Test
  void toStringShowsHostPortAndState() {
    SmtpDouble smtp = SmtpDouble.start();
    assertThat(smtp).hasToString("SmtpDouble{127.0.0.1:" + smtp.port() + ", running, 0 messages}");
    smtp.close();
    assertThat(smtp).hasToString("SmtpDouble{127.0.0.1:" + smtp.port() + ", closed, 0 messages}");
  }

  @Test
  void closeIsIdempotent() {
    SmtpDouble smtp = SmtpDouble.start();
    int port = smtp.port();
    smtp.close();
    smtp.close();
    assertThat(smtp.isRunning()).isFalse();
    assertRefused(port);
  }

  @Test
  void closeIsQuickWithAClientHoldingASessionOpen() {
    SmtpDouble smtp = SmtpDouble.start();
    try (RawClient client = greeted(smtp)) {
      // on Java 21+ the session's thread is virtual, which getAllStackTraces does not list
      int visible = Runtime.version().feature() >= 21 ? 1 : 2;
      assertThat(doubleThreads()).as("the acceptor and the session").isGreaterThanOrEqualTo(visible);
      long start = System.nanoTime();
      smtp.close();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
      assertThat(client.awaitEnd(2000)).isIn("EOF", "RESET");
      assertThat(awaitEnded(smtp, 1).ending()).isEqualTo(Transcript.Ending.DOUBLE_CLOSED);
      assertThat(doubleThreadsSettlingAt(0)).isZero();
    }
  }

  @Test
  void closeIsQuickWithASessionStalledInTheMiddleOfData() {
    SmtpDouble smtp = SmtpDouble.start();
    try (RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("Subject: never finished\r\n\r\nhalf");
      long start = System.nanoTime();
      smtp.close();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
      assertThat(client.awaitEnd(2000)).isIn("EOF", "RESET");
      assertThat(smtp.messages()).isEmpty();
      Transcript.Session session = awaitEnded(smtp, 1);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.DOUBLE_CLOSED);
      // what of the data was read before the close depends on timing; never a finished message
      assertThat(session.lines())
          .extracting(Transcript.Line::toString)
          .doesNotContain("C: .", "S: 250 2.0.0 Ok: queued")
          .anyMatch(line -> line.startsWith("* message data incomplete: "));
    }
  }

  @Test
  void twoHundredCyclesLeaveNoThreadAndNoListeningPort() {
    cycle(); // warm up: classes, first sockets
    long threadsBefore = doubleThreadsSettlingAt(0);
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < CYCLES; i++) {
      int port = cycle();
      ports.add(port);
      // close() has returned: nothing may listen there now, and its threads are joined
      assertRefused(port);
      assertThat(threadsOf(Set.of(port))).isEmpty();
    }
    assertThat(doubleThreadsSettlingAt(threadsBefore)).isEqualTo(threadsBefore);
    assertThat(threadsOf(ports)).isEmpty();
  }

  @Test
  void twoHundredCyclesLeaveNoFileDescriptorBehind() throws IOException {
    assumeThat(Files.isDirectory(Path.of("/proc/self/fd"))).as("Linux /proc").isTrue();
    cycle();
    long before = openFileDescriptors();
    for (int i = 0; i < CYCLES; i++) {
      cycle();
    }
    assertThat(openFileDescriptors()).isLessThanOrEqualTo(before + 5);
  }
}
