package dev.smtpdouble.server;

import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.sendMessage;
import static dev.smtpdouble.testing.Replies.BYE;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many clients at once, each on its own connection: every message is recorded exactly once. */
@Timeout(60)
class ConcurrencyTest {
  private static final int CLIENTS = 50;
  private static final int MESSAGES = 4;
  private static final Duration TAKE = Duration.ofSeconds(20);

  private static String subject(int client, int message) {
    return "c" + client + " m" + message;
  }

  private static String[] body(int client, int message) {
    return new String[] {
      "Subject: " + subject(client, message),
      "",
      "..dot line of " + subject(client, message),
      "x".repeat(client * 7 + message),
      "end"
    };
  }

  private static byte[] unstuffed(int client, int message) {
    StringBuilder out = new StringBuilder();
    for (String line : body(client, message)) {
      out.append(line.startsWith("..") ? line.substring(1) : line).append("\r\n");
    }
    return out.toString().getBytes(US_ASCII);
  }

  /** Runs the tasks on their own threads, all released at once; returns their futures. */
  private static <T> List<Future<T>> runAll(
      ExecutorService pool, CountDownLatch go, List<Callable<T>> tasks) {
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                return task.call();
              }));
    }
    go.countDown();
    return futures;
  }

  @Test
  void fiftyRawClientsAtOnceLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try (SmtpDouble smtp = SmtpDouble.start()) {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        tasks.add(
            () -> {
              try (RawClient raw = greeted(smtp)) {
                for (int m = 0; m < MESSAGES; m++) {
                  sendMessage(
                      raw,
                      "c" + client + "@example.test",
                      List.of("r" + client + "-" + m + "@example.test", "all@example.test"),
                      body(client, m));
                }
                raw.send("QUIT").expect(BYE);
                return raw.socket().getLocalPort();
              }
            });
      }
      List<Future<Integer>> futures = runAll(pool, new CountDownLatch(1), tasks);

      // the test thread takes while the clients are still sending
      Map<String, ReceivedMessage> bySubject = new HashMap<>();
      for (int i = 0; i < CLIENTS * MESSAGES; i++) {
        ReceivedMessage message = smtp.takeMessage(TAKE);
        assertThat(bySubject.put(message.subject(), message))
            .as("taken twice: %s", message.subject())
            .isNull();
      }
      List<Integer> localPorts = new ArrayList<>();
      for (Future<Integer> future : futures) {
        localPorts.add(future.get(30, TimeUnit.SECONDS));
      }

      Set<Integer> sessions = new HashSet<>();
      for (int c = 0; c < CLIENTS; c++) {
        int session = bySubject.get(subject(c, 0)).sessionNumber();
        assertThat(sessions.add(session)).as("session %d shared", session).isTrue();
        Transcript.Session transcript = awaitEnded(smtp, session);
        assertThat(transcript.remoteAddress().getPort()).isEqualTo(localPorts.get(c));
        assertThat(transcript.ending()).isEqualTo(Transcript.Ending.QUIT);
        for (int m = 0; m < MESSAGES; m++) {
          ReceivedMessage message = bySubject.get(subject(c, m));
          assertThat(message).as(subject(c, m)).isNotNull();
          assertThat(message.from()).isEqualTo("c" + c + "@example.test");
          assertThat(message.recipients())
              .containsExactly("r" + c + "-" + m + "@example.test", "all@example.test");
          assertThat(message.data()).isEqualTo(unstuffed(c, m));
          assertThat(message.sessionNumber()).isEqualTo(session);
          assertThat(message.transactionNumber()).isEqualTo(m + 1);
        }
      }
      assertThat(sessions).hasSize(CLIENTS);
      assertThat(smtp.messages()).hasSize(CLIENTS * MESSAGES);
      assertThat(smtp.transcript().sessions())
          .hasSize(CLIENTS)
          .extracting(Transcript.Session::number)
          .as("sessions in the order they connected")
          .containsExactlyElementsOf(IntStream.rangeClosed(1, CLIENTS).boxed().toList());
      assertThat(smtp.violations()).isEmpty();
      assertThatThrownBy(() -> smtp.takeMessage(Duration.ofMillis(50)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("(200 received in all, 200 taken before)");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoTakersShareTheMessagesAndNeitherGetsOneTwice() throws Exception {
    int clients = 20;
    int perClient = 5;
    ExecutorService pool = Executors.newFixedThreadPool(clients + 2);
    try (SmtpDouble smtp = SmtpDouble.start()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Callable<List<String>>> tasks = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        tasks.add(
            () -> {
              List<String> taken = new ArrayList<>();
              for (int i = 0; i < clients * perClient / 2; i++) {
                taken.add(smtp.takeMessage(TAKE).subject());
              }
              return taken;
            });
      }
      for (int c = 0; c < clients; c++) {
        int client = c;
        tasks.add(
            () -> {
              try (RawClient raw = greeted(smtp)) {
                for (int m = 0; m < perClient; m++) {
                  sendMessage(raw, "a@example.test", List.of("b@example.test"), body(client, m));
                }
              }
              return List.of();
            });
      }
      List<Future<List<String>>> futures = runAll(pool, go, tasks);
      Set<String> all = ConcurrentHashMap.newKeySet();
      int count = 0;
      for (Future<List<String>> future : futures) {
        List<String> taken = future.get(30, TimeUnit.SECONDS);
        all.addAll(taken);
        count += taken.size();
      }
      assertThat(count).isEqualTo(clients * perClient);
      assertThat(all).hasSize(clients * perClient);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tenJakartaMailClientsAtOnceLoseNothing() throws Exception {
    int clients = 10;
    int perClient = 3;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Properties properties = new Properties();
      properties.setProperty("mail.smtp.host", smtp.host());
      properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
      properties.setProperty("mail.smtp.localhost", "client.test");
      properties.setProperty("mail.smtp.timeout", "10000");
      Session session = Session.getInstance(properties);
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        tasks.add(
            () -> {
              try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
                for (int m = 0; m < perClient; m++) {
                  MimeMessage message = new MimeMessage(session);
                  message.setFrom(new InternetAddress("c" + client + "@example.test"));
                  message.setRecipients(RecipientType.TO, "to" + m + "@example.test");
                  message.setSubject(subject(client, m));
                  message.setText("Hello from " + subject(client, m));
                  message.saveChanges();
                  transport.sendMessage(message, message.getAllRecipients());
                }
              }
              return null;
            });
      }
      List<Future<Void>> futures = runAll(pool, new CountDownLatch(1), tasks);
      Map<String, ReceivedMessage> bySubject = new HashMap<>();
      for (int i = 0; i < clients * perClient; i++) {
        ReceivedMessage message = smtp.takeMessage(TAKE);
        assertThat(bySubject.put(message.subject(), message)).isNull();
      }
      for (Future<Void> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
      for (int c = 0; c < clients; c++) {
        for (int m = 0; m < perClient; m++) {
          ReceivedMessage message = bySubject.get(subject(c, m));
          assertThat(message.from()).isEqualTo("c" + c + "@example.test");
          assertThat(message.recipients()).containsExactly("to" + m + "@example.test");
          assertThat(message.text()).isEqualTo("Hello from " + subject(c, m) + "\r\n");
          assertThat(message.transactionNumber()).isEqualTo(m + 1);
          assertThat(message.sessionNumber())
              .isEqualTo(bySubject.get(subject(c, 0)).sessionNumber());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
