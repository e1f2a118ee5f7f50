package dev.smtpdouble;

import dev.smtpdouble.Transcript.Direction;
import dev.smtpdouble.internal.capture.DataRecord;
import dev.smtpdouble.internal.capture.Escaping;
import dev.smtpdouble.internal.capture.Kept;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.persona.PersonaLimits;
import dev.smtpdouble.internal.protocol.CapturedMessage;
import dev.smtpdouble.internal.protocol.Limits;
import dev.smtpdouble.internal.protocol.StandardReplies;
import dev.smtpdouble.internal.script.RuleBook;
import dev.smtpdouble.internal.server.Connection;
import dev.smtpdouble.internal.tls.TlsSupport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What a double records: the messages (with the waiting for the next one), the session logs and
 * the violations, and the calls to its {@link SmtpDouble.Listener}. It is the host its
 * connections report to, from their own threads; the test reads it from any thread.
 */
final class Recorder implements Connection.Host {
  private static final int TAIL_LINES = 20;

  private final Settings settings;
  private final SmtpDouble.Listener listener;
  private final StandardReplies replies;
  private final Limits limits;
  private final RuleBook rules;
  private final TlsSupport tlsSupport;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Kept<ReceivedMessage> messages;
  private final List<SessionLog> logs = new ArrayList<>();
  private final Kept<Violation> violations;
  private final SessionLog.Listener lineListener;
  private long taken;
  private volatile boolean closed;

  Recorder(
      Settings settings,
      SmtpDouble.Listener listener,
      Persona persona,
      RuleBook rules,
      TlsSupport tlsSupport) {
    this.settings = settings;
    this.listener = listener;
    this.limits = persona == null ? Limits.NONE : new PersonaLimits(persona, System::nanoTime);
    this.replies =
        persona == null
            ? StandardReplies.of(settings)
            : StandardReplies.of(settings, persona.replacements());
    this.rules = rules;
    this.tlsSupport = tlsSupport;
    this.lineListener = listener == null ? null : new LineListener();
    this.messages = new Kept<>(settings.keepLast());
    this.violations = new Kept<>(settings.keepLast());
  }

  // ------------------------------------------------------------------ what the test reads

  /** A snapshot of the messages, oldest first. */
  List<ReceivedMessage> messages() {
    lock.lock();
    try {
      return messages.snapshot();
    } finally {
      lock.unlock();
    }
  }

  /** How many messages arrived, dropped ones included. */
  long messageCount() {
    lock.lock();
    try {
      return messages.total();
    } finally {
      lock.unlock();
    }
  }

  /** How many messages were dropped to keep within {@link Settings#keepLast()}. */
  long droppedMessages() {
    lock.lock();
    try {
      return messages.dropped();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next message not taken yet, waiting for it.
   *
   * @param address where clients connect, for the message when none arrives
   * @throws AssertionError when none arrives in time
   */
  ReceivedMessage take(Duration timeout, Supplier<String> address) {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (taken >= messages.total()) {
        if (nanos <= 0 || closed) {
          throw new AssertionError(noMessage(timeout, address.get()));
        }
        nanos = arrived.awaitNanos(nanos);
      }
      if (taken < messages.dropped()) {
        long first = taken + 1;
        taken = messages.dropped();
        throw new AssertionError(
            (first == taken ? "Message " + first : "Messages " + first + " to " + taken)
                + " arrived but "
                + (first == taken ? "was" : "were")
                + " dropped before being taken: this double keeps only the newest "
                + settings.keepLast()
                + " (SmtpDouble.Builder.keepLast). Take messages sooner or keep more; the next"
                + " call takes message "
                + (taken + 1)
                + ".");
      }
      return messages.at(taken++);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a message", e);
    } finally {
      lock.unlock();
    }
  }

  private String noMessage(Duration timeout, String address) {
    StringBuilder out = new StringBuilder();
    out.append(closed ? "The double is closed and no message is left to take" : "No message arrived within " + describe(timeout));
    out.append(" (").append(messages.total()).append(" received in all, ").append(taken).append(" taken before).");
    Transcript transcript = transcriptLocked();
    List<Transcript.Line> lines = transcript.lines();
    if (lines.isEmpty()) {
      out.append(" No client has connected to ").append(address).append('.');
    } else {
      out.append(' ').append(transcript.sessions().size()).append(" session(s); the transcript ends:\n");
      for (Transcript.Line line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** Every session so far and every line of each: a snapshot. */
  Transcript transcript() {
    lock.lock();
    try {
      return transcriptLocked();
    } finally {
      lock.unlock();
    }
  }

  private Transcript transcriptLocked() {
    List<Transcript.Session> sessions = new ArrayList<>(logs.size());
    for (SessionLog log : logs) {
      sessions.add(session(log));
    }
    return Transcript.of(sessions);
  }

  /** The violations so far, in order. */
  List<Violation> violations() {
    lock.lock();
    try {
      return violations.snapshot();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets messages, violations and the logs of ended sessions. */
  void reset() {
    lock.lock();
    try {
      messages.clear();
      taken = 0;
      violations.clear();
      logs.removeIf(SessionLog::ended);
    } finally {
      lock.unlock();
    }
    limits.reset();
  }

  /** The double is closing: I/O errors from now on mean "closed by the double". */
  void markClosing() {
    closed = true;
  }

  /** The double has closed: whoever waits for a message stops waiting. */
  void wakeWaiters() {
    lock.lock();
    try {
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ what the connections report

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
  public Limits limits() {
    return limits;
  }

  @Override
  public TlsSupport tls() {
    return tlsSupport;
  }

  @Override
  public SessionLog openLog(int number, InetSocketAddress remote) {
    SessionLog log = new SessionLog(number, remote, lineListener, settings.keepLast() > 0);
    lock.lock();
    try {
      dropEndedSessions(settings.keepLast(), logs);
      // sessions start their logs on their own threads, so in any order: keep them in the
      // order they connected (their numbers)
      int at = logs.size();
      while (at > 0 && logs.get(at - 1).number() > number) {
        at--;
      }
      logs.add(at, log);
    } finally {
      lock.unlock();
    }
    if (listener != null) {
      tell(() -> listener.sessionStarted(session(log)));
    }
    return log;
  }

  @Override
  public void messageReceived(CapturedMessage captured) {
    ReceivedMessage message = new ReceivedMessage(captured);
    if (listener != null) {
      tell(() -> listener.messageReceived(message));
    }
    lock.lock();
    try {
      messages.add(message);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void violation(
      SessionLog log, int lineNumber, Violation.Kind kind, String line, String detail) {
    Violation violation = new Violation(kind, log.number(), lineNumber, line, detail);
    log.violation(kind.mark() + (detail.isEmpty() ? "" : ": " + detail));
    lock.lock();
    try {
      violations.add(violation);
    } finally {
      lock.unlock();
    }
    if (listener != null) {
      tell(() -> listener.violation(violation));
    }
  }

  @Override
  public boolean closing() {
    return closed;
  }

  /** A session as its log stands now. */
  private static Transcript.Session session(SessionLog log) {
    SessionLog.Snapshot s = log.snapshot();
    return new Transcript.Session(
        s.number(), s.remoteAddress(), s.startedAt(), s.endedAt(), s.ending(), s::decode);
  }

  /** Keeps at most {@code keep} ended sessions, dropping the oldest; open ones always stay. */
  private static void dropEndedSessions(int keep, List<SessionLog> logs) {
    if (keep == Integer.MAX_VALUE) {
      return;
    }
    int ended = 0;
    for (SessionLog log : logs) {
      if (log.ended()) {
        ended++;
      }
    }
    for (int i = 0; i < logs.size() && ended > keep; ) {
      if (logs.get(i).ended()) {
        logs.remove(i);
        ended--;
      } else {
        i++;
      }
    }
  }

  /**
   * Passes each transcript line and each session's end to the listener: rendered into {@link
   * Transcript.Line}s, or as logged to a listener that is also a {@link SessionLog.Listener} (the
   * command line's mailbox, which renders straight into bytes).
   */
  private final class LineListener implements SessionLog.Listener {
    private final SessionLog.Listener direct =
        listener instanceof SessionLog.Listener raw ? raw : null;

    @Override
    public void line(SessionLog log, Direction direction, byte[] bytes, int offset, int length) {
      // a dozen calls and more a session: no lambda for each
      try {
        if (direct != null) {
          direct.line(log, direction, bytes, offset, length);
        } else {
          listener.transcriptLine(
              log.number(),
              new Transcript.Line(
                  direction, Escaping.text(bytes, offset, length), Instant.now(), false));
        }
      } catch (RuntimeException e) {
        uncaught(e);
      }
    }

    @Override
    public void data(SessionLog log, DataRecord record) {
      try {
        if (direct != null) {
          direct.data(log, record);
        } else {
          Instant time = Instant.now();
          record.render(
              text ->
                  listener.transcriptLine(
                      log.number(), new Transcript.Line(Direction.CLIENT, text, time, true)));
        }
      } catch (RuntimeException e) {
        uncaught(e);
      }
    }

    @Override
    public void ended(SessionLog log) {
      if (direct != null) {
        tell(() -> direct.ended(log));
      }
      tell(() -> listener.sessionEnded(session(log)));
    }
  }

  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      uncaught(e);
    }
  }

  /** A listener's failure must not break the session that called it: it goes to the handler. */
  private static void uncaught(RuntimeException e) {
    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
  }
}
