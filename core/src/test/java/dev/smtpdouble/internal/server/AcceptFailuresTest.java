package dev.smtpdouble.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.Settings;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.protocol.CapturedMessage;
import dev.smtpdouble.internal.protocol.StandardReplies;
import dev.smtpdouble.internal.script.RuleBook;
import dev.smtpdouble.internal.tls.TlsSupport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A failing {@code accept()} (out of file descriptors, for one) is reported once per burst, the
 * acceptor backs off instead of spinning, and it serves again once accepting works.
 */
@Timeout(30)
class AcceptFailuresTest {

  /** A server socket whose first {@code failures} accepts fail as a process out of descriptors. */
  private static final class FailingServerSocket extends ServerSocket {
    private final AtomicInteger failuresLeft;

    FailingServerSocket(int failures) throws IOException {
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Socket accept() throws IOException {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IOException("Too many open files");
      }
      return super.accept();
    }
  }

  /** A double with the default settings that records nothing; it counts the sessions opened. */
  private static final class QuietHost implements Connection.Host {
    private final Settings settings = SmtpDouble.builder().settings();
    private final StandardReplies replies = StandardReplies.of(settings);
    private final RuleBook rules = new RuleBook(List.of());
    private final CountDownLatch opened;

    QuietHost(CountDownLatch opened) {
      this.opened = opened;
    }

    @Override
    public Settings settings() {
      return settings;
    }

    @Override
    public StandardReplies replies() {
      return replies;
    }

    @Override
    public RuleBook rules() {
      return rules;
    }

    @Override
    public TlsSupport tls() {
      return null;
    }

    @Override
    public SessionLog openLog(int number, InetSocketAddress remote) {
      opened.countDown();
      return new SessionLog(number, remote, null);
    }

    @Override
    public void messageReceived(CapturedMessage message) {}

    @Override
    public void violation(
        SessionLog log, int lineNumber, Violation.Kind kind, String line, String detail) {}

    @Override
    public boolean closing() {
      return false;
    }
  }

  @Test
  void aBurstOfFailedAcceptsIsReportedOnceAndTheServerRecovers() throws Exception {
    FailingServerSocket socket = new FailingServerSocket(5);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    List<String> reports = new CopyOnWriteArrayList<>();
    CountDownLatch served = new CountDownLatch(1);
    Server server = Server.start(socket, 10, new QuietHost(served), reports::add);
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      client.setSoTimeout(10_000);
      byte[] greeting = client.getInputStream().readNBytes(21);
      assertThat(new String(greeting, StandardCharsets.US_ASCII))
          .isEqualTo("220 localhost ESMTP\r\n");
      assertThat(served.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      assertThat(server.close(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(reports)
        .as("one report when the burst starts, one when it ends")
        .containsExactly(
            "smtp-double on 127.0.0.1:"
                + socket.getLocalPort()
                + ": accepting a connection failed (java.io.IOException: Too many open files);"
                + " retrying, pausing up to 1000 ms between tries",
            "smtp-double on 127.0.0.1:"
                + socket.getLocalPort()
                + ": accepting again after 5 failed accepts");
  }

  @Test
  void thePauseDoublesUpToOneSecondAndStartsOverAfterASuccess() {
    List<String> reports = new ArrayList<>();
    Server.AcceptFailures failures = new Server.AcceptFailures("here", reports::add);
    IOException e = new IOException("Too many open files");
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pauses.add(failures.failed(e));
    }
    assertThat(pauses).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 1000L);
    failures.accepted();
    failures.accepted();
    assertThat(failures.failed(e)).isEqualTo(10L);
    assertThat(reports)
        .containsExactly(
            "here: accepting a connection failed (java.io.IOException: Too many open files);"
                + " retrying, pausing up to 1000 ms between tries",
            "here: accepting again after 10 failed accepts",
            "here: accepting a connection failed (java.io.IOException: Too many open files);"
                + " retrying, pausing up to 1000 ms between tries");
  }

  @Test
  void closeEndsABackOffPauseAtOnce() throws Exception {
    FailingServerSocket socket = new FailingServerSocket(Integer.MAX_VALUE);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    List<String> reports = new CopyOnWriteArrayList<>();
    // no connection is ever accepted: no host is needed
    Server server = Server.start(socket, 10, null, reports::add);
    // let it fail into the longer pauses
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (reports.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(reports).hasSize(1);
    assertThat(server.close(Duration.ofSeconds(5))).as("every thread ended").isTrue();
  }
}
