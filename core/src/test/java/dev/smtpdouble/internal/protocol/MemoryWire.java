package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Action;
import dev.smtpdouble.Rule;
import dev.smtpdouble.Settings;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.script.RuleBook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A wire in memory for unit tests of the {@link Session}: the client's input is fed as packets,
 * each read returns the next one (so the client waits for the replies between packets), and what
 * the session sends, the faults it asks for and what it records are kept for the test to read.
 */
final class MemoryWire implements Wire, SessionContext {
  private final Settings settings;
  private final StandardReplies replies;
  private final RuleBook rules;
  private final Deque<byte[]> packets = new ArrayDeque<>();
  private final SmtpInput input = new SmtpInput(this::read, this::flush);
  private final ByteArrayOutputStream queued = new ByteArrayOutputStream();
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  private final SessionLog log = new SessionLog(1, new InetSocketAddress("127.0.0.1", 40000), null);

  /** The faults the session asked the wire to carry out, in order. */
  final List<Action> effects = new ArrayList<>();

  /** The messages the session recorded. */
  final List<CapturedMessage> messages = new ArrayList<>();

  /** The violations the session noted. */
  final List<Violation.Kind> violations = new ArrayList<>();

  /** Whether the session closed the wire in order. */
  boolean closed;

  /** Whether TLS was started. */
  boolean tls;

  MemoryWire(SmtpDouble.Builder builder, String... script) {
    this.settings = builder.settings();
    this.replies = StandardReplies.of(settings);
    List<Rule> all = new ArrayList<>(settings.rules());
    all.addAll(Rule.parseScript(String.join("\n", script)));
    this.rules = new RuleBook(all);
  }

  /** Queues what the client sends in one packet: lines joined with CRLF, one CRLF at the end. */
  MemoryWire send(String... lines) {
    packets.add((String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Runs a session over the packets queued; returns how it ended. */
  Ending run() {
    Session session = new Session(this, this, log, 1);
    try {
      return session.converse();
    } catch (SessionEnd end) {
      return end.ending();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The reply lines the session sent, in order. */
  List<String> sentLines() {
    String text = sent.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\r\n"));
  }

  private int read(byte[] buffer, int offset, int length, int timeoutMillis) {
    byte[] packet = packets.poll();
    if (packet == null) {
      return -1;
    }
    if (packet.length > length) {
      packets.addFirst(Arrays.copyOfRange(packet, length, packet.length));
      packet = Arrays.copyOf(packet, length);
    }
    System.arraycopy(packet, 0, buffer, offset, packet.length);
    return packet.length;
  }

  // ---------------------------------------------------------------- Wire

  @Override
  public String clientIp() {
    return "127.0.0.1";
  }

  @Override
  public SmtpInput input() {
    return input;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    queued.write(bytes, offset, length);
  }

  @Override
  public void flush() {
    sent.writeBytes(queued.toByteArray());
    queued.reset();
  }

  @Override
  public TlsState startTls(boolean fail) {
    flush();
    if (fail) {
      effects.add(new Action.TlsFail());
      throw new SessionEnd(Ending.TLS_FAILED);
    }
    tls = true;
    return new TlsState("TLSv1.3", "TLS_AES_128_GCM_SHA256");
  }

  @Override
  public Sent carryOut(Action action, Speaker session) throws IOException {
    return switch (action.kind()) {
      case REPLY -> session.reply((Action.Respond) action);
      case SEND -> session.sendRaw(((Action.Send) action).bytes());
      case DELAY, TRICKLE -> {
        effects.add(action);
        yield null;
      }
      // the handshake carries it out: startTls(true)
      case TLS_FAIL -> null;
      case DISCONNECT -> throw fault(action, session, Ending.SCRIPT_DISCONNECT);
      case RESET -> throw fault(action, session, Ending.SCRIPT_RESET);
      case STALL -> throw fault(action, session, Ending.CLIENT_CLOSED);
    };
  }

  private SessionEnd fault(Action action, Speaker session, Ending ending) {
    session.publishPending();
    flush();
    effects.add(action);
    return new SessionEnd(ending);
  }

  @Override
  public void close(boolean atOnce) {
    flush();
    closed = true;
  }

  // ---------------------------------------------------------------- SessionContext

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
  public void messageReceived(CapturedMessage message) {
    messages.add(message);
  }

  @Override
  public void violation(
      SessionLog sessionLog, int lineNumber, Violation.Kind kind, String line, String detail) {
    violations.add(kind);
  }
}
