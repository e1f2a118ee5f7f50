package dev.smtpdouble.robustness;

import dev.smtpdouble.testing.RawClient;
import dev.smtpdouble.testing.CliProcess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.robustness.LoadClient.Mix;
import dev.smtpdouble.robustness.LoadClient.Sent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load without loss (issue 9, part 3): 32 concurrent clients send numbered messages of mixed sizes
 * (1 KiB to 1 MiB) with SHA-256 checksums; every message is recorded exactly once, byte for byte,
 * in the order its session sent it, with the recipients and reply the client was given. The same
 * with a script that refuses some recipients and some bodies, and through the command line's
 * {@code --mailbox} folder, also when the process is stopped with SIGTERM in the middle of it.
 */
@Timeout(900)
class LoadTest {
  private static final int CLIENTS = 32;
  private static final Pattern EML = Pattern.compile("([0-9]{6})\\.eml");
  private static final Pattern PART = Pattern.compile("\\.([0-9]{6})\\.eml\\.part");

  @TempDir Path folder;

  /** What a load run sent, and how long it took. */
  private record Load(List<Sent> sent, Map<String, String> attempted, long octets, long millis) {}

  private static Load load(
      int port,
      int clients,
      int messages,
      int perConnection,
      Mix mix,
      boolean rejectSome,
      AtomicBoolean stop,
      AtomicLong acknowledged)
      throws Exception {
    AtomicLong octets = new AtomicLong();
    Map<String, String> attempted = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Sent>>> futures = new ArrayList<>();
    try {
      for (int c = 1; c <= clients; c++) {
        LoadClient client =
            new LoadClient("127.0.0.1", port, c, mix, rejectSome, octets, attempted);
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return client.run(messages, perConnection, stop, acknowledged);
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      List<Sent> sent = new ArrayList<>();
      for (Future<List<Sent>> future : futures) {
        sent.addAll(future.get(600, TimeUnit.SECONDS));
      }
      return new Load(sent, attempted, octets.get(), Robustness.millisSince(start));
    } finally {
      pool.shutdownNow();
    }
  }

  private static Mix mix() {
    return Robustness.full() ? Mix.LOG_UNIFORM : Mix.MOSTLY_SMALL;
  }

  // ------------------------------------------------------------------ in process

  @Test
  void thirtyTwoClientsLoseNothing() throws Exception {
    int messages = 500; // the count; a full run changes the size mix
    try (ThreadDeaths deaths = ThreadDeaths.watch();
        SmtpDouble smtp = SmtpDouble.start()) {
      Load load = load(smtp.port(), CLIENTS, messages, 125, mix(), false, null, null);

      assertThat(load.sent()).hasSize(CLIENTS * messages);
      assertThat(load.sent()).allMatch(s -> s.code() == 250, "every message answered 250");
      long checked = assertRecordedExactly(load.sent(), smtp.messages());
      assertThat(deaths.deaths()).isEmpty();
      Fuzz.assertNoInternalError(smtp);
      Robustness.report(
          "LoadTest in process: %d clients x %d messages (%s mix), %d messages (%.1f MiB of data,"
              + " %.1f MiB on the wire) recorded exactly once, byte for byte, in order, in %d ms",
          CLIENTS,
          messages,
          mix(),
          checked,
          totalSize(load.sent()) / 1048576.0,
          load.octets() / 1048576.0,
          load.millis());
    }
  }

  @Test
  void aScriptThatRefusesSomeRecipientsAndSomeBodiesLosesNothingEither() throws Exception {
    int messages = 500;
    List<String> script = new ArrayList<>();
    script.add("reply 550 \"5.1.1 No such user\" to RCPT <*@reject.test>");
    for (int n : new int[] {7, 50, 77, 120, 333, 777, 1000, 2222, 5555, 9999}) {
      script.add("reply 354 then 554 \"5.7.1 Rejected by the load script\" after DATA on " + ordinal(n));
    }
    for (int n : new int[] {3, 13, 113, 1113}) {
      script.add(
          "reply 250 then 554 \"5.7.1 Chunk rejected by the load script\" after BDAT on " + ordinal(n));
    }
    try (ThreadDeaths deaths = ThreadDeaths.watch();
        SmtpDouble smtp = SmtpDouble.builder().script(script.toArray(new String[0])).start()) {
      Load load = load(smtp.port(), CLIENTS, messages, 40, mix(), true, null, null);

      long refusedBodies = load.sent().stream().filter(s -> s.recorded() && s.code() == 554).count();
      long notSent = load.sent().stream().filter(s -> !s.recorded()).count();
      assertThat(refusedBodies).as("bodies refused by the script").isPositive();
      assertThat(notSent).as("messages whose every recipient was refused").isPositive();
      long checked = assertRecordedExactly(load.sent(), smtp.messages());
      assertThat(deaths.deaths()).isEmpty();
      Fuzz.assertNoInternalError(smtp);
      Robustness.report(
          "LoadTest with a refusing script: %d clients x %d messages, %d recorded exactly (%d"
              + " refused with 554 after their data), %d never sent for want of a recipient, in"
              + " %d ms",
          CLIENTS,
          messages,
          checked,
          refusedBodies,
          notSent,
          load.millis());
    }
  }

  private static String ordinal(int n) {
    String suffix =
        n % 100 >= 11 && n % 100 <= 13
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            };
    return n + suffix;
  }

  /**
   * Checks the recorded messages against what the clients sent: each expected message exactly
   * once, byte for byte (SHA-256 and size), with the reply and recipients the client was given, and
   * within each session in the order the client sent them. Returns how many were checked.
   */
  private static long assertRecordedExactly(List<Sent> sent, List<ReceivedMessage> recorded) {
    Map<String, Sent> expected = new HashMap<>();
    Map<String, List<String>> orderSent = new HashMap<>();
    for (Sent s : sent) {
      if (s.recorded()) {
        expected.put(s.id(), s);
        orderSent.computeIfAbsent(s.client() + "/" + s.connection(), k -> new ArrayList<>()).add(s.id());
      }
    }
    Set<String> seen = new HashSet<>();
    Map<Integer, List<Sent>> bySession = new LinkedHashMap<>();
    for (ReceivedMessage message : recorded) {
      byte[] data = message.data();
      String id = LoadClient.idOf(data);
      assertThat(id).as("a recorded message with a load id").isNotNull();
      Sent s = expected.get(id);
      assertThat(s).as("message %s was expected", id).isNotNull();
      assertThat(seen.add(id)).as("message %s recorded once", id).isTrue();
      assertThat(data.length).as("size of %s", id).isEqualTo(s.size());
      assertThat(LoadClient.sha256(data)).as("SHA-256 of %s", id).isEqualTo(s.sha256());
      assertThat(message.reply().orElseThrow().code()).as("reply to %s", id).isEqualTo(s.code());
      assertThat(message.recipients()).as("recipients of %s", id).isEqualTo(s.recipients());
      bySession.computeIfAbsent(message.sessionNumber(), k -> new ArrayList<>()).add(s);
    }
    assertThat(seen).as("every expected message was recorded").hasSameSizeAs(expected.keySet());
    for (List<Sent> session : bySession.values()) {
      String connection = session.get(0).client() + "/" + session.get(0).connection();
      assertThat(session.stream().map(Sent::id).toList())
          .as("the messages of connection %s, in order", connection)
          .isEqualTo(orderSent.get(connection));
    }
    return seen.size();
  }

  private static long totalSize(List<Sent> sent) {
    return sent.stream().mapToLong(Sent::size).sum();
  }

  // ------------------------------------------------------------------ the command line

  @Test
  void theCommandLineMailboxHoldsEveryMessageByteForByte() throws Exception {
    int messages = 500;
    Path mailbox = folder.resolve("mailbox");
    try (CliProcess cli = CliProcess.startWithJvmOptions(List.of(), "--port", "0", "--mailbox", mailbox.toString())) {
      int port = cli.awaitReady();
      Load load = load(port, CLIENTS, messages, 20, mix(), false, null, null);
      assertThat(load.sent()).hasSize(CLIENTS * messages).allMatch(s -> s.code() == 250);

      long stopStart = System.nanoTime();
      // a clean stop rewrites transcript.log: 2.3 GiB of it in a full run takes a while
      int status = cli.terminate(Robustness.full() ? 180_000 : 30_000);
      long stopMillis = Robustness.millisSince(stopStart);
      assertThat(status).isIn(0, 143);
      assertThat(cli.outTail()).endsWith("smtp-double stopped\n");

      Mailbox box = Mailbox.read(mailbox, load.attempted());
      assertThat(box.parts()).as("leftover .part files").isEmpty();
      assertThat(box.numbers()).as("files numbered 1 to N").isEqualTo(contiguous(box.numbers().size()));
      Set<String> expected = new HashSet<>();
      load.sent().forEach(s -> expected.add(s.id()));
      assertThat(box.ids()).as("one file per message sent").containsExactlyInAnyOrderElementsOf(expected);
      assertFileOrderFollowsEachConnection(box, load.sent());
      assertThat(box.others()).containsExactlyInAnyOrder("transcript.log", "violations.log");
      Robustness.report(
          "LoadTest command line: %d clients x %d messages (%s mix) into --mailbox, %d .eml files"
              + " complete and byte-exact (%.1f MiB), in %d ms; stopped by SIGTERM in %d ms",
          CLIENTS,
          messages,
          mix(),
          box.ids().size(),
          totalSize(load.sent()) / 1048576.0,
          load.millis(),
          stopMillis);
    }
  }

  @Test
  void sigtermInTheMiddleOfTheLoadLeavesOnlyCompleteMessageFiles() throws Exception {
    int clients = 16;
    int before = Robustness.size(1000, 3000);
    Path mailbox = folder.resolve("mailbox");
    try (CliProcess cli = CliProcess.startWithJvmOptions(List.of(), "--port", "0", "--mailbox", mailbox.toString())) {
      int port = cli.awaitReady();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong acknowledged = new AtomicLong();
      ExecutorService runner = Executors.newSingleThreadExecutor();
      try {
        Future<Load> loading =
            runner.submit(
                () -> load(port, clients, 1_000_000, 50, mix(), false, stop, acknowledged));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (acknowledged.get() < before && System.nanoTime() < deadline) {
          Robustness.sleep(5);
        }
        long stopStart = System.nanoTime();
        // SIGTERM while the clients are still sending
        int status = cli.terminate(Robustness.full() ? 180_000 : 30_000);
        long stopMillis = Robustness.millisSince(stopStart);
        stop.set(true);
        Load load = loading.get(120, TimeUnit.SECONDS);
        assertThat(status).isIn(0, 143);
        assertThat(cli.outTail()).endsWith("smtp-double stopped\n");

        Mailbox box = Mailbox.read(mailbox, load.attempted());
        // every file is a whole message a client sent (Mailbox.read checks the SHA-256 of each)
        assertThat(new HashSet<>(box.ids())).as("no message twice").hasSameSizeAs(box.ids());
        for (String part : box.parts()) {
          assertThat(box.numbers()).as("a .part file beside its .eml").doesNotContain(part);
        }
        // every message the client saw accepted was written before the process ended
        Set<String> acknowledgedIds = new HashSet<>();
        load.sent().forEach(s -> {
          if (s.code() == 250) {
            acknowledgedIds.add(s.id());
          }
        });
        assertThat(box.ids()).containsAll(acknowledgedIds);
        assertThat(box.numbers()).as("files numbered 1 to N").isEqualTo(contiguous(box.numbers().size()));
        assertFileOrderFollowsEachConnection(box, load.sent());
        Robustness.report(
            "LoadTest SIGTERM mid-load: %d clients, SIGTERM after %d acknowledged messages; %d"
                + " acknowledged in all, %d .eml files, each a complete message sent (SHA-256),"
                + " %d in flight written whole, %d .part files left; stopped in %d ms",
            clients,
            before,
            acknowledgedIds.size(),
            box.ids().size(),
            box.ids().size() - acknowledgedIds.size(),
            box.parts().size(),
            stopMillis);
      } finally {
        stop.set(true);
        runner.shutdownNow();
      }
    }
  }

  /**
   * On a clean stop the command line rewrites transcript.log in the transcript's rendering. It
   * must manage that for a transcript far larger than its heap could render in one piece: here
   * eight sessions of about 8 MiB each in a process with a 160 MiB heap.
   */
  @Test
  void aCleanStopRewritesATranscriptTooLargeToRenderInOnePiece() throws Exception {
    Path mailbox = folder.resolve("mailbox");
    int clients = 8;
    try (CliProcess cli =
        CliProcess.startWithJvmOptions(
            List.of("-Xmx160m"), "--port", "0", "--mailbox", mailbox.toString())) {
      int port = cli.awaitReady();
      byte[] line = "x".repeat(78).concat("\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] body = new byte[line.length * 13_000];
      for (int i = 0; i < 13_000; i++) {
        System.arraycopy(line, 0, body, i * line.length, line.length);
      }
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<Integer>> sessions = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          sessions.add(
              pool.submit(
                  () -> {
                    try (RawClient client = RawClient.connect("127.0.0.1", port, 30_000)) {
                      client.nextReply();
                      client.write(Fuzz.bytes("EHLO big.test\r\n"));
                      client.nextReply();
                      for (int m = 0; m < 8; m++) {
                        client.write(
                            Fuzz.bytes("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n"));
                        client.nextReply();
                        client.nextReply();
                        assertThat(client.nextReply().code()).isEqualTo(354);
                        client.write(Fuzz.stuffed(body));
                        assertThat(client.nextReply().code()).isEqualTo(250);
                      }
                      client.write(Fuzz.bytes("QUIT\r\n"));
                      return client.nextReply().code();
                    }
                  }));
        }
        for (Future<Integer> session : sessions) {
          assertThat(session.get(120, TimeUnit.SECONDS)).isEqualTo(221);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(cli.terminate(60_000)).isIn(0, 143);
      assertThat(cli.err()).as("standard error").isEmpty();
      assertThat(cli.outTail()).endsWith("smtp-double stopped\n");
    }
    try (Stream<Path> files = Files.list(mailbox)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left")
          .noneMatch(name -> name.endsWith(".part"));
    }
    long quit;
    try (Stream<String> lines = Files.lines(mailbox.resolve("transcript.log"))) {
      quit = lines.filter(l -> l.startsWith("=== session ") && l.endsWith(" (client sent QUIT)")).count();
    }
    assertThat(quit).as("session headers of the final rendering").isEqualTo(clients);
  }

  private static List<String> contiguous(int n) {
    List<String> numbers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      numbers.add(String.format("%06d", i));
    }
    return numbers;
  }

  /** Within a connection, the message files are numbered in the order the client sent them. */
  private static void assertFileOrderFollowsEachConnection(Mailbox box, List<Sent> sent) {
    Map<String, List<String>> byConnection = new HashMap<>();
    for (Sent s : sent) {
      byConnection.computeIfAbsent(s.client() + "/" + s.connection(), k -> new ArrayList<>()).add(s.id());
    }
    Map<String, List<String>> filed = new HashMap<>();
    for (String id : box.ids()) { // in file-number order
      String[] parts = id.split("[.@]");
      String connection = parts[0].substring(1) + "/" + parts[1].substring(1);
      filed.computeIfAbsent(connection, k -> new ArrayList<>()).add(id);
    }
    for (Map.Entry<String, List<String>> entry : filed.entrySet()) {
      List<String> order = byConnection.getOrDefault(entry.getKey(), List.of());
      List<String> files = entry.getValue();
      // the files of a connection are the messages it sent, in order (a last one in flight may
      // be there without the client having seen its reply)
      List<String> sentInOrder = new ArrayList<>(order);
      for (String id : files) {
        if (!sentInOrder.contains(id)) {
          sentInOrder.add(id);
        }
      }
      assertThat(files).as("files of connection %s", entry.getKey()).isEqualTo(sentInOrder.subList(0, files.size()));
    }
  }

  /** A mailbox folder as the command line left it; every .eml checked against its SHA-256. */
  private record Mailbox(
      List<String> numbers, List<String> ids, List<String> parts, List<String> others) {
    static Mailbox read(Path folder, Map<String, String> attempted) throws IOException {
      TreeMap<String, String> byNumber = new TreeMap<>();
      List<String> parts = new ArrayList<>();
      List<String> others = new ArrayList<>();
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.toList()) {
          String name = file.getFileName().toString();
          Matcher eml = EML.matcher(name);
          Matcher part = PART.matcher(name);
          if (eml.matches()) {
            byte[] data = Files.readAllBytes(file);
            String id = LoadClient.idOf(data);
            assertThat(id).as("%s starts with a load message id", name).isNotNull();
            assertThat(attempted).as("%s is a message a client sent", name).containsKey(id);
            assertThat(LoadClient.sha256(data))
                .as("%s is complete and byte-exact (%d octets)", name, data.length)
                .isEqualTo(attempted.get(id));
            byNumber.put(eml.group(1), id);
          } else if (part.matches()) {
            parts.add(part.group(1));
          } else {
            assertThat(Files.isRegularFile(file)).as("%s is a file", name).isTrue();
            others.add(name);
          }
        }
      }
      return new Mailbox(
          List.copyOf(byNumber.keySet()), List.copyOf(byNumber.values()), parts, others);
    }
  }
}
