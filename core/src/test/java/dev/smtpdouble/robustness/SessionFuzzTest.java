package dev.smtpdouble.robustness;

import static dev.smtpdouble.robustness.Fuzz.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.RawClient;
import dev.smtpdouble.Extension;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.Transcript;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input into sessions (issue 9, part 1): arbitrary bytes, random command sequences with
 * DATA bodies and BDAT chunks, cut into random TCP writes with random short pauses. No exception
 * escapes a session thread, no session outlives its timeout, other sessions keep being served,
 * and every message the double answered is recorded exactly.
 */
class SessionFuzzTest {
  private static ThreadDeaths deaths;
  private static final AtomicLong MODEL_BYTES = new AtomicLong();
  private static final AtomicLong MODEL_TRIES = new AtomicLong();
  private static final AtomicLong MODEL_MESSAGES = new AtomicLong();
  private static final AtomicLong SPLIT_BYTES = new AtomicLong();
  private static final AtomicLong SPLIT_TRIES = new AtomicLong();
  private static final AtomicLong HANG_BYTES = new AtomicLong();
  private static final AtomicLong HANG_TRIES = new AtomicLong();
  private static final AtomicLong HANG_SLOWEST_END = new AtomicLong();
  private static final AtomicLong CONTROLS = new AtomicLong();

  @BeforeContainer
  static void watchThreads() {
    deaths = ThreadDeaths.watch();
  }

  @AfterContainer
  static void report() {
    deaths.close();
    Robustness.report(
        "SessionFuzzTest: %d model conversations (%d bytes, %d messages checked), %d split"
            + " differentials (%d bytes, each sent twice), %d hanging sessions (%d bytes; idle"
            + " timeout 150 ms, data timeout 300 ms; the slowest ended %d ms after its last byte),"
            + " %d control clients served",
        MODEL_TRIES.get(),
        MODEL_BYTES.get(),
        MODEL_MESSAGES.get(),
        SPLIT_TRIES.get(),
        SPLIT_BYTES.get(),
        HANG_TRIES.get(),
        HANG_BYTES.get(),
        HANG_SLOWEST_END.get(),
        CONTROLS.get());
  }

  // ------------------------------------------------------------------ random command sequences

  /** What a command does to the client's model of the session when the double accepts it. */
  enum Kind {
    MAIL,
    RCPT,
    HELLO,
    RSET,
    OTHER
  }

  sealed interface Step permits Command, Pipelined, Data, Bdat, Pause {}

  /**
   * One command line with its line end; {@code address} is what MAIL or RCPT names, or null when
   * the line is malformed enough that the model cannot tell.
   */
  record Command(byte[] line, Kind kind, String address) implements Step {
    @Override
    public String toString() {
      String text = new String(line, StandardCharsets.UTF_8);
      if (text.length() > 80) {
        text = text.substring(0, 80) + "... (" + line.length + " octets)";
      }
      return "Command[" + text.replace("\r", "\\r").replace("\n", "\\n") + "]";
    }
  }

  /** Commands sent in one write, their replies read afterwards. */
  record Pipelined(List<Command> commands) implements Step {}

  /** DATA; when it gets 354, the body (dot-stuffed by the client) and the final dot. */
  record Data(byte[] body) implements Step {
    @Override
    public String toString() {
      return "Data[" + body.length + " octets: "
          + new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8)
              .replace("\r", "\\r").replace("\n", "\\n") + "]";
    }
  }

  /** One BDAT chunk, sent in the same write as its command. */
  record Bdat(byte[] chunk, boolean last) implements Step {
    @Override
    public String toString() {
      return "Bdat[" + chunk.length + (last ? " LAST]" : "]");
    }
  }

  record Pause(int millis) implements Step {}

  enum Ending {
    QUIT,
    CLOSE,
    HALF_CLOSE
  }

  record Setup(
      boolean strict,
      int maxRecipients,
      long sizeLimit,
      boolean chunking,
      boolean pipelining,
      List<String> rules) {
    SmtpDouble start() {
      Set<Extension> extensions = EnumSet.allOf(Extension.class);
      if (!chunking) {
        extensions.remove(Extension.CHUNKING);
      }
      if (!pipelining) {
        extensions.remove(Extension.PIPELINING);
      }
      SmtpDouble.Builder builder =
          SmtpDouble.builder()
              .idleTimeout(Duration.ofSeconds(3))
              .dataTimeout(Duration.ofSeconds(6))
              .maxRecipients(maxRecipients)
              .sizeLimit(sizeLimit)
              .extensions(extensions)
              .script(rules.toArray(new String[0]));
      if (strict) {
        builder.strict();
      }
      return builder.start();
    }
  }

  record Conversation(Setup setup, List<Step> steps, Ending ending) {}

  /** A message the client expects the double to have recorded. */
  record Expected(String from, List<String> recipients, byte[] data, int code) {}

  /** What the client knows about the session from the replies it got. */
  private static final class Model {
    boolean transaction;
    String from;
    List<String> recipients = new ArrayList<>();
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    /** Whether the last accepted EHLO/HELO offered CHUNKING (strict mode refuses BDAT else). */
    boolean chunkingOffered;
    final List<Expected> expected = new ArrayList<>();

    void accepted(Command command) {
      switch (command.kind()) {
        case MAIL -> {
          transaction = true;
          from = command.address();
          recipients = new ArrayList<>();
          chunks.reset();
        }
        case RCPT -> {
          if (!transaction) {
            transaction = true;
            from = "";
            chunks.reset();
          }
          recipients.add(command.address());
        }
        case HELLO, RSET -> clear();
        case OTHER -> {}
      }
    }

    boolean usable(boolean chunking) {
      return chunking && transaction && !recipients.isEmpty();
    }

    void message(byte[] data, int code) {
      List<String> rcpts = recipients.contains(null) ? null : List.copyOf(recipients);
      expected.add(new Expected(from, rcpts, data, code));
      clear();
    }

    void clear() {
      transaction = false;
      from = null;
      recipients = new ArrayList<>();
      chunks.reset();
    }
  }

  @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
  @FullTries(3000)
  void aConversationIsAnsweredAndRecordedExactlyWhateverItsCommands(
      @ForAll("conversations") Conversation conversation, @ForAll long seed) {
    Random random = new Random(seed);
    int deathsBefore = deaths.count();
    MODEL_TRIES.incrementAndGet();
    try (SmtpDouble smtp = conversation.setup().start();
        RawClient client = RawClient.connect(smtp.host(), smtp.port(), 10_000)) {
      Model model = new Model();
      boolean open = run(conversation, client, model, random);

      Fuzz.control(smtp); // served while the fuzzed session is still open
      CONTROLS.incrementAndGet();

      if (open) {
        switch (conversation.ending()) {
          case QUIT -> {
            client.writeSplit(bytes("QUIT\r\n"), random, 4);
            RawClient.Reply bye = client.nextReply();
            assertThat(bye).isNotNull();
            assertThat(bye.code()).isEqualTo(221);
            assertThat(client.readToEnd()).isEmpty();
          }
          case CLOSE -> client.abort();
          case HALF_CLOSE -> {
            client.halfClose();
            assertThat(client.readToEnd()).isEmpty();
          }
        }
      }
      Transcript.Session session = Fuzz.awaitEnded(smtp, 1, 5_000);
      MODEL_BYTES.addAndGet(client.written());

      List<ReceivedMessage> recorded =
          smtp.messages().stream().filter(m -> m.sessionNumber() == 1).toList();
      assertThat(recorded).as("messages of the fuzzed session").hasSameSizeAs(model.expected);
      for (int i = 0; i < recorded.size(); i++) {
        ReceivedMessage message = recorded.get(i);
        Expected expected = model.expected.get(i);
        assertThat(message.data()).as("data of message %d", i + 1).isEqualTo(expected.data());
        assertThat(message.reply().orElseThrow().code())
            .as("reply to message %d", i + 1)
            .isEqualTo(expected.code());
        if (expected.from() != null) {
          assertThat(message.from()).as("sender of message %d", i + 1).isEqualTo(expected.from());
        }
        if (expected.recipients() != null) {
          assertThat(message.recipients())
              .as("recipients of message %d", i + 1)
              .isEqualTo(expected.recipients());
        }
      }
      MODEL_MESSAGES.addAndGet(recorded.size());
      assertThat(session.ending()).isNotEqualTo(Transcript.Ending.CONNECTION_LOST);
      Fuzz.assertHealthy(smtp, deaths, deathsBefore);
    }
  }

  /** Runs the steps; returns false when the double ended the session (a 421). */
  private static boolean run(
      Conversation conversation, RawClient client, Model model, Random random) {
    boolean chunking = conversation.setup().chunking();
    RawClient.Reply greeting = client.nextReply();
    assertThat(greeting).isNotNull();
    assertThat(greeting.code()).isEqualTo(220);
    for (Step step : conversation.steps()) {
      if (step instanceof Pause pause) {
        Robustness.sleep(pause.millis());
      } else if (step instanceof Command command) {
        client.writeSplit(command.line(), random, 16);
        if (!answered(client.nextReply(), command, model)) {
          return false;
        }
      } else if (step instanceof Pipelined group) {
        List<byte[]> lines = group.commands().stream().map(Command::line).toList();
        client.writeSplit(Fuzz.concat(lines), random, 16);
        for (Command command : group.commands()) {
          if (!answered(client.nextReply(), command, model)) {
            return false;
          }
        }
      } else if (step instanceof Data data) {
        client.writeSplit(bytes("DATA\r\n"), random, 4);
        RawClient.Reply reply = expectReply(client.nextReply(), "DATA");
        if (reply.code() == 421) {
          return false;
        }
        if (reply.code() == 354) {
          client.writeSplit(Fuzz.stuffed(data.body()), random, 64);
          RawClient.Reply end = expectReply(client.nextReply(), "the end of data");
          if (end.code() == 421) {
            return false;
          }
          model.message(data.body(), end.code());
        }
      } else if (step instanceof Bdat bdat) {
        byte[] command =
            bytes("BDAT " + bdat.chunk().length + (bdat.last() ? " LAST" : "") + "\r\n");
        client.writeSplit(Fuzz.concat(List.of(command, bdat.chunk())), random, 32);
        RawClient.Reply reply = expectReply(client.nextReply(), "BDAT");
        if (reply.code() == 421) {
          return false;
        }
        boolean usable =
            model.usable(chunking) && (!conversation.setup().strict() || model.chunkingOffered);
        if (bdat.last() && usable) {
          model.chunks.writeBytes(bdat.chunk());
          model.message(model.chunks.toByteArray(), reply.code());
        } else if (!bdat.last() && usable && reply.code() / 100 == 2) {
          model.chunks.writeBytes(bdat.chunk());
        }
      }
    }
    return true;
  }

  private static RawClient.Reply expectReply(RawClient.Reply reply, String to) {
    assertThat(reply).as("a reply to " + to + " before the connection ended").isNotNull();
    return reply;
  }

  private static boolean answered(RawClient.Reply reply, Command command, Model model) {
    expectReply(reply, command.toString());
    if (reply.code() == 421) {
      return false;
    }
    if (reply.code() / 100 == 2) {
      model.accepted(command);
      if (command.kind() == Kind.HELLO) {
        model.chunkingOffered =
            reply.lines().stream().skip(1).anyMatch(line -> line.substring(4).equals("CHUNKING"));
      }
    }
    return true;
  }

  @Provide
  Arbitrary<Conversation> conversations() {
    Arbitrary<List<String>> rules =
        Arbitraries.of(
                "reply 550 \"5.1.1 No such user\" to RCPT <*@reject.test>",
                "reply 354 then 554 \"5.7.1 Rejected by the fuzz script\" after DATA on 2nd",
                "reply 250 then 554 \"5.7.1 Chunk rejected\" after BDAT on 3rd",
                "reply 451 \"4.7.1 Greylisted\" to MAIL on 2nd",
                "reply 452 to RCPT on 4th",
                "delay 3ms to NOOP")
            .set()
            .ofMaxSize(4)
            .map(List::copyOf);
    Arbitrary<Setup> setup =
        Combinators.combine(
                Arbitraries.of(false, false, false, true),
                Arbitraries.of(1, 2, 5, 1000),
                Arbitraries.of(0L, 300L, 52_428_800L),
                Arbitraries.of(true, true, false),
                Arbitraries.of(true, true, false),
                rules)
            .as(Setup::new);
    Arbitrary<List<Step>> steps =
        Arbitraries.frequencyOf(
                List.of(Tuple.of(3, step().map(List::of)), Tuple.of(2, transaction())))
            .list()
            .ofMaxSize(16)
            .map(lists -> lists.stream().flatMap(List::stream).toList());
    return Combinators.combine(setup, steps, Arbitraries.of(Ending.class))
        .as(Conversation::new);
  }

  /** MAIL, one to three RCPTs, then DATA or BDAT chunks: a transaction that mostly succeeds. */
  private static Arbitrary<List<Step>> transaction() {
    Arbitrary<Step> from =
        Arbitraries.of("a@example.test", "", "b+tag@example.test")
            .map(a -> new Command(bytes("MAIL FROM:<" + a + ">\r\n"), Kind.MAIL, a));
    Arbitrary<List<Step>> to =
        Arbitraries.of("b@example.test", "c@example.test", "x@reject.test")
            .map(a -> (Step) new Command(bytes("RCPT TO:<" + a + ">\r\n"), Kind.RCPT, a))
            .list()
            .ofMinSize(1)
            .ofMaxSize(3);
    Arbitrary<List<Step>> content =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(2, data().map(List::of)),
                Tuple.of(
                    1,
                    Combinators.combine(
                            bdat().map(b -> (Step) new Bdat(((Bdat) b).chunk(), false))
                                .list()
                                .ofMaxSize(2),
                            bdat().map(b -> (Step) new Bdat(((Bdat) b).chunk(), true)))
                        .as(
                            (chunks, last) -> {
                              List<Step> all = new ArrayList<>(chunks);
                              all.add(last);
                              return all;
                            }))));
    return Combinators.combine(from, to, content)
        .as(
            (mail, rcpts, body) -> {
              List<Step> all = new ArrayList<>();
              all.add(mail);
              all.addAll(rcpts);
              all.addAll(body);
              return all;
            });
  }

  private static Arbitrary<Step> step() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, hello()),
            Tuple.of(4, mail()),
            Tuple.of(5, rcpt()),
            Tuple.of(4, data()),
            Tuple.of(3, bdat()),
            Tuple.of(2, simple()),
            Tuple.of(2, garbage()),
            Tuple.of(2, pipelined()),
            Tuple.of(1, Arbitraries.integers().between(0, 15).map(Pause::new))));
  }

  private static Arbitrary<String> lineEnd() {
    return Arbitraries.frequencyOf(
        List.of(Tuple.of(12, Arbitraries.just("\r\n")), Tuple.of(1, Arbitraries.just("\n"))));
  }

  private static Arbitrary<Command> line(Arbitrary<String> texts, Kind kind) {
    return Combinators.combine(texts, lineEnd())
        .as((text, end) -> new Command(bytes(text + end), kind, null));
  }

  private static Arbitrary<Step> hello() {
    return line(
            Arbitraries.of(
                "EHLO client.test", "HELO client.test", "ehlo x", "EHLO", "HELO", "EHLO a b c"),
            Kind.HELLO)
        .map(Step.class::cast);
  }

  private static final List<String> SENDERS =
      List.of("a@example.test", "", "x@reject.test", "\u00fc@example.test", "b+tag@example.test");
  private static final List<String> RECIPIENTS =
      List.of(
          "b@example.test",
          "c@example.test",
          "x@reject.test",
          "",
          "\u00fc@example.test",
          "postmaster");

  private static Arbitrary<Command> mailCommand() {
    Arbitrary<String> parameters =
        Arbitraries.of(
            "", "", "", " SIZE=100", " SIZE=999999999", " BODY=8BITMIME", " BODY=BINARYMIME",
            " SMTPUTF8", " BODY=7BIT SIZE=5", " RET=HDRS ENVID=abc", " FOO=1", " SIZE=x",
            " SIZE=1 SIZE=2");
    Arbitrary<Command> valid =
        Combinators.combine(
                Arbitraries.of(SENDERS),
                parameters,
                Arbitraries.of("MAIL FROM:", "mail from:", "MAIL FROM: ", "MAIL from :"),
                lineEnd())
            .as(
                (address, params, verb, end) ->
                    new Command(bytes(verb + "<" + address + ">" + params + end), Kind.MAIL, address));
    Arbitrary<Command> routed =
        lineEnd()
            .map(
                end ->
                    new Command(
                        bytes("MAIL FROM:<@relay.test,@b.test:user@example.test>" + end),
                        Kind.MAIL,
                        "user@example.test"));
    Arbitrary<Command> malformed =
        line(
            Arbitraries.of(
                "MAIL FROM:", "MAIL", "MAIL FROM:<a@example.test", "MAIL TO:<a@example.test>",
                "MAIL FROM:a@example.test", "MAIL FROM:<a@example.test>x", "MAIL FROM:<a<b>",
                "MAIL FROM:<a@example.test> =x"),
            Kind.MAIL);
    return Arbitraries.frequencyOf(
        List.of(Tuple.of(6, valid), Tuple.of(1, routed), Tuple.of(2, malformed)));
  }

  private static Arbitrary<Step> mail() {
    return mailCommand().map(Step.class::cast);
  }

  private static Arbitrary<Command> rcptCommand() {
    Arbitrary<String> parameters =
        Arbitraries.of("", "", "", " NOTIFY=NEVER", " NOTIFY=bogus", " ORCPT=rfc822;b@x.test", " X=1");
    Arbitrary<Command> valid =
        Combinators.combine(Arbitraries.of(RECIPIENTS), parameters, lineEnd())
            .as(
                (address, params, end) ->
                    new Command(bytes("RCPT TO:<" + address + ">" + params + end), Kind.RCPT, address));
    Arbitrary<Command> malformed =
        line(Arbitraries.of("RCPT TO:", "RCPT", "RCPT TO:<b@example.test", "RCPT FROM:<b@x.test>"),
            Kind.RCPT);
    return Arbitraries.frequencyOf(List.of(Tuple.of(6, valid), Tuple.of(1, malformed)));
  }

  private static Arbitrary<Step> rcpt() {
    return rcptCommand().map(Step.class::cast);
  }

  private static Arbitrary<Command> simpleCommand() {
    Arbitrary<Command> rset = line(Arbitraries.of("RSET", "rset", "RSET now"), Kind.RSET);
    Arbitrary<Command> other =
        line(
            Arbitraries.of(
                "NOOP", "NOOP hello", "VRFY a", "VRFY", "EXPN list", "HELP", "HELP DATA",
                "STARTTLS", "AUTH PLAIN AGEAYg==", "AUTH", "TURN", "ETRN x", "XCLIENT NAME=x", "",
                " ", "QUIT now"),
            Kind.OTHER);
    return Arbitraries.frequencyOf(List.of(Tuple.of(1, rset), Tuple.of(4, other)));
  }

  private static Arbitrary<Step> simple() {
    return simpleCommand().map(Step.class::cast);
  }

  /**
   * A line of random bytes (no LF), long lines among them; never one the model cannot follow
   * (QUIT, DATA and BDAT, which read more than a line, or a state-changing verb).
   */
  private static Arbitrary<Command> garbageCommand() {
    Arbitrary<byte[]> random =
        Arbitraries.bytes().filter(b -> b != '\n').array(byte[].class).ofMaxSize(80);
    Arbitrary<byte[]> long1 =
        Arbitraries.of(510, 511, 512, 513, 1000, 20_000)
            .map(n -> bytes("NOOP " + "y".repeat(n)));
    return Combinators.combine(
            Arbitraries.frequencyOf(List.of(Tuple.of(4, random), Tuple.of(1, long1))), lineEnd())
        .as(
            (text, end) -> {
              String upper = new String(text, StandardCharsets.ISO_8859_1).toUpperCase();
              for (String verb : List.of("QUIT", "DATA", "BDAT", "MAIL", "RCPT", "HELO", "EHLO", "RSET")) {
                if (upper.stripLeading().startsWith(verb) || upper.startsWith(verb)) {
                  text = bytes("X-" + new String(text, StandardCharsets.ISO_8859_1));
                }
              }
              return new Command(Fuzz.concat(List.of(text, bytes(end))), Kind.OTHER, null);
            });
  }

  private static Arbitrary<Step> garbage() {
    return garbageCommand().map(Step.class::cast);
  }

  private static Arbitrary<Step> pipelined() {
    return Arbitraries.frequencyOf(
            List.of(
                Tuple.of(3, mailCommand()),
                Tuple.of(4, rcptCommand()),
                Tuple.of(2, simpleCommand()),
                Tuple.of(1, garbageCommand())))
        .list()
        .ofMinSize(2)
        .ofMaxSize(6)
        .map(Pipelined::new);
  }

  /** Message bodies: lines with periods, long lines, 8-bit bytes, NULs, bare CR and LF. */
  private static Arbitrary<byte[]> body() {
    Arbitrary<String> lines =
        Arbitraries.of(
            "Subject: fuzz", "", ".", "..", ".x", "...", " .", "x", "x".repeat(998),
            "x".repeat(1500), ".\n.", "a\rb", "a\nb", "\n", "\r", "caf\u00e9 \u20ac", "\u0000",
            "\r\n.", ". ", "From: <a@example.test>");
    Arbitrary<byte[]> text =
        lines.list().ofMaxSize(20).map(list -> {
          StringBuilder out = new StringBuilder();
          for (String l : list) {
            out.append(l).append("\r\n");
          }
          return bytes(out.toString());
        });
    Arbitrary<byte[]> binary =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(300)
            .map(b -> Fuzz.concat(List.of(b, bytes("\r\n"))));
    Arbitrary<byte[]> big =
        Arbitraries.integers().between(1_000, 200_000).map(n -> bytes((".line\r\n" + "z".repeat(90) + "\r\n").repeat(n / 100 + 1)));
    return Arbitraries.frequencyOf(
        List.of(Tuple.of(8, text), Tuple.of(3, binary), Tuple.of(1, big)));
  }

  private static Arbitrary<Step> data() {
    return body().map(Data::new);
  }

  private static Arbitrary<Step> bdat() {
    Arbitrary<byte[]> chunk =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                Tuple.of(2, Arbitraries.of("\r\n.\r\n", "DATA\r\n", "QUIT\r\n", "").map(Fuzz::bytes)),
                Tuple.of(1, Arbitraries.integers().between(1, 150_000).map(byte[]::new))));
    return Combinators.combine(chunk, Arbitraries.of(false, true)).as(Bdat::new);
  }

  // ------------------------------------------------------------------ splits change nothing

  /**
   * Any bytes, sent once in a single write and once cut into random writes with pauses, get the
   * same session from the double: the same transcript lines both ways, the same messages, the
   * same ending. Nothing in a session may depend on how its input was cut into TCP segments.
   */
  @Property(tries = 500, shrinking = ShrinkingMode.BOUNDED)
  @FullTries(5000)
  void anyBytesMakeTheSameSessionHoweverTheyAreCutIntoWrites(
      @ForAll("soups") byte[] input, @ForAll boolean quit, @ForAll long seed) {
    SPLIT_TRIES.incrementAndGet();
    int deathsBefore = deaths.count();
    byte[] bytes = quit ? Fuzz.concat(List.of(input, bytes("QUIT\r\n"))) : input;
    Run whole = runOnce(bytes, null);
    Run split = runOnce(bytes, new Random(seed));
    SPLIT_BYTES.addAndGet(2L * bytes.length);

    assertThat(split.lines).as("the transcript lines of the split run").isEqualTo(whole.lines);
    assertThat(split.ending).isEqualTo(whole.ending);
    assertThat(split.messages).hasSameSizeAs(whole.messages);
    for (int i = 0; i < whole.messages.size(); i++) {
      ReceivedMessage a = whole.messages.get(i);
      ReceivedMessage b = split.messages.get(i);
      assertThat(b.data()).isEqualTo(a.data());
      assertThat(b.from()).isEqualTo(a.from());
      assertThat(b.recipients()).isEqualTo(a.recipients());
      assertThat(b.reply()).isEqualTo(a.reply());
      assertThat(b.chunked()).isEqualTo(a.chunked());
    }
    assertThat(deaths.deaths().subList(deathsBefore, deaths.count())).isEmpty();
  }

  private record Run(List<String> lines, Transcript.Ending ending, List<ReceivedMessage> messages) {}

  private static Run runOnce(byte[] bytes, Random split) {
    int deathsBefore = deaths.count();
    try (SmtpDouble smtp =
            SmtpDouble.builder()
                .idleTimeout(Duration.ofSeconds(5))
                .dataTimeout(Duration.ofSeconds(5))
                .sizeLimit(2000)
                .maxRecipients(3)
                .script(
                    "reply 550 to RCPT <*@reject.test>",
                    "reply 354 then 554 after DATA on 2nd",
                    "reply 451 to MAIL on 3rd")
                .start();
        RawClient client = RawClient.connect(smtp.host(), smtp.port(), 10_000)) {
      RawClient.Drain drain = client.drain();
      if (split == null) {
        client.write(bytes);
      } else {
        client.writeSplit(bytes, split, 200);
      }
      client.halfClose();
      byte[] received = drain.join(10_000);
      Transcript.Session session = Fuzz.awaitEnded(smtp, 1, 5_000);
      List<String> lines =
          session.lines().stream()
              .filter(
                  line ->
                      line.direction() == Transcript.Direction.CLIENT
                          || line.direction() == Transcript.Direction.SERVER)
              .map(Transcript.Line::toString)
              .toList();
      // the client got a prefix of what the double says it sent (a reset may cut the rest)
      StringBuilder sent = new StringBuilder();
      for (Transcript.Line line : session.lines()) {
        if (line.direction() == Transcript.Direction.SERVER) {
          sent.append(line.text()).append("\r\n");
        }
      }
      assertThat(sent.toString()).startsWith(new String(received, StandardCharsets.UTF_8));
      Fuzz.assertHealthy(smtp, deaths, deathsBefore);
      return new Run(lines, session.ending(), smtp.messages());
    }
  }

  @Provide
  Arbitrary<byte[]> soups() {
    return Fuzz.soup(40);
  }

  // ------------------------------------------------------------------ no session hangs

  /**
   * Any bytes, then silence with the connection left open: the double ends the session within
   * its idle or data timeout (plus scheduling slack), whatever state the bytes left it in, and
   * serves another client meanwhile. With STARTTLS and AUTH configured half the time, so the
   * handshake and SASL states are reached too.
   */
  @Property(tries = 50, shrinking = ShrinkingMode.BOUNDED)
  @FullTries(500)
  void aSessionLeftHangingEndsWithinItsTimeout(
      @ForAll("soups") byte[] input, @ForAll boolean tlsAndAuth, @ForAll long seed) {
    HANG_TRIES.incrementAndGet();
    int deathsBefore = deaths.count();
    long idle = 150;
    long data = 300;
    SmtpDouble.Builder builder =
        SmtpDouble.builder()
            .idleTimeout(Duration.ofMillis(idle))
            .dataTimeout(Duration.ofMillis(data))
            .sizeLimit(5000);
    if (tlsAndAuth) {
      builder.tls(Tls.starttls()).user("alice", "s3cret");
    }
    try (SmtpDouble smtp = builder.start();
        RawClient client = RawClient.connect(smtp.host(), smtp.port(), 10_000)) {
      RawClient.Drain drain = client.drain();
      client.writeSplit(input, new Random(seed), 50);
      long lastByte = System.nanoTime();
      HANG_BYTES.addAndGet(client.written());

      Fuzz.control(smtp);
      CONTROLS.incrementAndGet();

      drain.join(data + 5_000);
      Transcript.Session session = Fuzz.awaitEnded(smtp, 1, 5_000);
      long ended = (drain.endedAt() - lastByte) / 1_000_000;
      HANG_SLOWEST_END.accumulateAndGet(ended, Math::max);
      assertThat(ended - data)
          .as("ms past the data timeout before the connection ended (%s)", session.ending())
          .isLessThan(2_000);
      Fuzz.assertHealthy(smtp, deaths, deathsBefore);
    }
  }
}
