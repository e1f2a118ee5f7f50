package dev.smtpdouble.robustness;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.robustness.Fuzz.bytes;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static dev.smtpdouble.testing.Replies.SIZE_EXCEEDED;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits that hold (issue 9, part 2), beyond what {@code protocol/LimitsTest} covers: the default
 * recipient limit, many sessions over the session limit at once, the data timeout of a BDAT chunk,
 * the idle timeout inside an AUTH exchange, the size limit with BDAT, and a slow-loris crowd that
 * never exhausts the double.
 */
@Timeout(120)
class LimitsHoldTest {
  private static final String TIMEOUT = "421 4.4.2 localhost Error: timeout exceeded";

  @Test
  void theDefaultRecipientLimitIs1000AndTheNextGets452() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      StringBuilder batch = new StringBuilder();
      for (int i = 1; i <= 1001; i++) {
        batch.append("RCPT TO:<r").append(i).append("@example.test>\r\n");
      }
      client.sendRaw(batch.toString()); // pipelined, as PIPELINING allows
      for (int i = 1; i <= 1000; i++) {
        client.expect(RCPT_OK);
      }
      client.expect("452 4.5.3 Error: too many recipients");
      client.send("DATA").expect(DATA_GO);
      client.sendRaw("Subject: many\r\n\r\nhi\r\n.\r\n").expect(QUEUED);
      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.recipients()).hasSize(1000).startsWith("r1@example.test").endsWith("r1000@example.test");
    }
  }

  @Test
  void sessionsOverTheLimitAreRefusedWith421WhileTheAdmittedOnesAreServed() throws Exception {
    int limit = 10;
    int extra = 15;
    try (SmtpDouble smtp = SmtpDouble.builder().maxSessions(limit).start()) {
      List<RawClient> admitted = new ArrayList<>();
      try {
        for (int i = 0; i < limit; i++) {
          RawClient client = RawClient.connect(smtp);
          admitted.add(client);
          client.expect(GREETING);
        }
        ExecutorService pool = Executors.newFixedThreadPool(extra);
        try {
          List<Callable<String>> refused = new ArrayList<>();
          for (int i = 0; i < extra; i++) {
            refused.add(
                () -> {
                  try (RawClient client = RawClient.connect(smtp)) {
                    String line = client.readLine();
                    return line + " then " + client.awaitEnd(3000);
                  }
                });
          }
          for (Future<String> outcome : pool.invokeAll(refused, 20, TimeUnit.SECONDS)) {
            assertThat(outcome.get())
                .isEqualTo("421 4.3.2 localhost Error: too many connections then EOF");
          }
        } finally {
          pool.shutdownNow();
        }
        for (RawClient client : admitted) {
          client.send("NOOP").expect(OK);
        }
        for (int i = 0; i < 3; i++) {
          admitted.get(i).send("QUIT").expect(BYE);
          assertThat(admitted.get(i).awaitEnd(2000)).isEqualTo("EOF");
        }
        // three slots are free again: three new clients are greeted
        for (int i = 0; i < 3; i++) {
          RawClient client = RawClient.connect(smtp);
          admitted.add(client);
          client.expect(GREETING);
        }
      } finally {
        admitted.forEach(RawClient::close);
      }
      long refusedSessions =
          smtp.transcript().sessions().stream()
              .filter(s -> s.ending() == Transcript.Ending.SESSION_LIMIT)
              .count();
      assertThat(refusedSessions).isEqualTo(extra);
    }
  }

  @Test
  void aBdatChunkThatTakesTooLongGets421AndNoMessage() {
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .idleTimeout(Duration.ofSeconds(10))
                .dataTimeout(Duration.ofMillis(400))
                .start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      long start = System.nanoTime();
      client.sendRaw("BDAT 100 LAST\r\nonly part of it");
      for (int i = 0; i < 3; i++) {
        Robustness.sleep(100);
        client.sendRaw("more");
      }
      client.expect(TIMEOUT);
      assertThat(Robustness.millisSince(start)).isBetween(350L, 4000L);
      assertThat(client.awaitEnd(2000)).isIn("EOF", "RESET");
      Transcript.Session session = Fuzz.awaitEnded(smtp, 1, 5000);
      assertThat(session.ending()).isEqualTo(Transcript.Ending.IDLE_TIMEOUT);
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void anAuthExchangeLeftWaitingGets421() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().user("alice", "s3cret").idleTimeout(Duration.ofMillis(300)).start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH LOGIN").expect("334 VXNlcm5hbWU6");
      long start = System.nanoTime();
      client.expect(TIMEOUT);
      assertThat(Robustness.millisSince(start)).isBetween(250L, 4000L);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
      assertThat(Fuzz.awaitEnded(smtp, 1, 5000).ending()).isEqualTo(Transcript.Ending.IDLE_TIMEOUT);
    }
  }

  @Test
  void aChunkedMessageOverTheSizeLimitIsRefusedAtLastButKeptWhole() {
    byte[] first = new byte[600];
    byte[] second = new byte[600];
    Arrays.fill(first, (byte) 'a');
    Arrays.fill(second, (byte) 'b');
    try (SmtpDouble smtp = SmtpDouble.builder().sizeLimit(1000).start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.sendRaw(Fuzz.concat(List.of(bytes("BDAT 600\r\n"), first)));
      client.expect("250 2.0.0 600 octets received");
      client.sendRaw(Fuzz.concat(List.of(bytes("BDAT 600 LAST\r\n"), second)));
      client.expect(SIZE_EXCEEDED);
      client.send("NOOP").expect(OK);
      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.accepted()).isFalse();
      assertThat(message.truncated()).isFalse();
      assertThat(message.data()).isEqualTo(Fuzz.concat(List.of(first, second)));
    }
  }

  // ------------------------------------------------------------------ slow-loris

  /** Where a slow-loris client trickles its bytes. */
  enum Phase {
    COMMAND_LINE,
    DATA,
    BDAT
  }

  /**
   * Many clients that send a byte a second, spread over the three places a session reads (a
   * command line, DATA, a BDAT chunk): the idle and data timeouts cut every one of them off
   * although bytes keep coming, and while they hang on, a well-behaved client is served at its
   * usual speed. The session limit is above their number, as the issue asks.
   */
  @Test
  void aSlowLorisCrowdIsCutOffByTheTimeoutsAndNeverStopsTheDoubleServing() throws Exception {
    int lorises = Robustness.size(50, 500);
    Duration idle = Duration.ofMillis(2500);
    Duration data = Duration.ofMillis(3500);
    try (ThreadDeaths deaths = ThreadDeaths.watch();
        SmtpDouble smtp =
            SmtpDouble.builder()
                .maxSessions(lorises + 10)
                .idleTimeout(idle)
                .dataTimeout(data)
                .start()) {
      List<RawClient> crowd = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      Thread trickle = null;
      try {
        long start = System.nanoTime();
        for (int i = 0; i < lorises; i++) {
          crowd.add(slowLoris(smtp, Phase.values()[i % 3]));
        }
        long setUp = System.nanoTime();
        trickle =
            new Thread(
                () -> {
                  byte[] one = {'x'};
                  while (!stop.get()) {
                    for (RawClient client : crowd) {
                      client.write(one); // false once the double has cut it off
                    }
                    try {
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "slow-loris-trickle");
        trickle.setDaemon(true);
        trickle.start();

        // while the crowd hangs on, a well-behaved client sends five messages
        Robustness.sleep(1200);
        long served = System.nanoTime();
        for (int i = 0; i < 5; i++) {
          Fuzz.control(smtp);
        }
        long serveMillis = Robustness.millisSince(served);
        long open =
            smtp.transcript().sessions().stream()
                .filter(s -> s.ending() == Transcript.Ending.OPEN)
                .count();
        assertThat(open).as("slow-loris sessions still open while the client was served").isEqualTo(lorises);
        assertThat(serveMillis).as("ms to serve five messages beside the crowd").isLessThan(5000);

        // then every slow loris is cut off by its timeout, bytes trickling in or not
        long deadline = setUp + data.toNanos() + 5_000_000_000L;
        long lastEnd = 0;
        for (RawClient client : crowd) {
          byte[] received = client.readToEnd();
          lastEnd = System.nanoTime();
          assertThat(new String(received, StandardCharsets.UTF_8)).endsWith(TIMEOUT + "\r\n");
        }
        assertThat(lastEnd).as("all cut off in time").isLessThan(deadline);
        List<Transcript.Session> sessions = smtp.transcript().sessions();
        long timedOut =
            sessions.stream().filter(s -> s.ending() == Transcript.Ending.IDLE_TIMEOUT).count();
        assertThat(timedOut).isEqualTo(lorises);
        assertThat(smtp.messages().stream().filter(m -> !m.subject().startsWith("control")))
            .as("no message from a slow loris")
            .isEmpty();
        Fuzz.assertNoInternalError(smtp);
        assertThat(deaths.deaths()).isEmpty();
        Robustness.report(
            "LimitsHoldTest: %d slow-loris sessions (a byte a second; idle %d ms, data %d ms) set"
                + " up in %d ms, all cut off %d ms after set-up; five messages served beside them"
                + " in %d ms",
            lorises,
            idle.toMillis(),
            data.toMillis(),
            (setUp - start) / 1_000_000,
            (lastEnd - setUp) / 1_000_000,
            serveMillis);
      } finally {
        stop.set(true);
        if (trickle != null) {
          trickle.interrupt();
          trickle.join(5000);
        }
        crowd.forEach(RawClient::close);
      }
    }
  }

  /** Connects and takes the session to where it will trickle: a command, DATA or a BDAT chunk. */
  private static RawClient slowLoris(SmtpDouble smtp, Phase phase) {
    RawClient client = RawClient.connect(smtp.host(), smtp.port(), 15_000);
    assertThat(client.nextReply().code()).isEqualTo(220);
    if (phase == Phase.COMMAND_LINE) {
      client.write(bytes("NOOP"));
      return client;
    }
    client.write(
        bytes("EHLO loris.test\r\nMAIL FROM:<loris@example.test>\r\nRCPT TO:<b@example.test>\r\n"));
    for (int i = 0; i < 3; i++) {
      assertThat(client.nextReply().code()).isEqualTo(250);
    }
    if (phase == Phase.DATA) {
      client.write(bytes("DATA\r\n"));
      assertThat(client.nextReply().code()).isEqualTo(354);
      client.write("Subject: slow\r\n".getBytes(US_ASCII));
    } else {
      client.write(bytes("BDAT 1000 LAST\r\nslow"));
    }
    return client;
  }
}
