package dev.smtpdouble;

import dev.smtpdouble.internal.capture.Kept;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.persona.PersonaLimits;
import dev.smtpdouble.internal.protocol.CapturedMessage;
import dev.smtpdouble.internal.protocol.Limits;
import dev.smtpdouble.internal.protocol.Session;
import dev.smtpdouble.internal.protocol.SessionContext;
import dev.smtpdouble.internal.protocol.StandardReplies;
import dev.smtpdouble.internal.script.RuleBook;
import dev.smtpdouble.internal.script.ScriptParser;
import dev.smtpdouble.internal.server.Server;
import dev.smtpdouble.internal.tls.TlsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.regex.Pattern;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An SMTP server for tests: start it, point the code under test at {@link #host()} and {@link
 * #port()}, optionally script how it misbehaves, then check what arrived.
 *
 * <pre>{@code
 * try (SmtpDouble smtp = SmtpDouble.start()) {          // 127.0.0.1, a free port
 *     smtp.script("reply 354 then 554 after DATA");
 *     smtp.on(Command.HELP).reply(211, "System status OK");
 *     mailer.send(smtp.host(), smtp.port(), ...);
 *     ReceivedMessage m = smtp.takeMessage(Duration.ofSeconds(5));
 *     Transcript t = smtp.transcript();
 * }
 * }</pre>
 *
 * <p>Without rules it behaves as a well-mannered RFC 5321 server that accepts every message. Each
 * connection gets its own thread (a virtual thread on Java 21+); the double is safe to use from
 * any thread. {@link #close()} stops it, ends every open connection and joins every thread it
 * started.
 *
 * @since 0.1
 */
public final class SmtpDouble implements AutoCloseable {
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
  private static final int TAIL_LINES = 20;
  private static final Pattern HOSTNAME = Pattern.compile("[\\p{Graph}&&[^<>]]+");

  private final Settings settings;
  private final Listener listener;
  private final StandardReplies replies;
  private final RuleBook rules;
  private final Persona persona;
  private final Limits limits;
  private final TlsSupport tlsSupport;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Kept<ReceivedMessage> messages;
  private final List<SessionLog> logs = new ArrayList<>();
  private final Kept<Violation> violations;
  private long taken;
  private Server server;
  private volatile boolean closed;

  private SmtpDouble(Settings settings, Listener listener, Persona persona) {
    this.settings = settings;
    this.listener = listener;
    this.persona = persona;
    this.limits = persona == null ? Limits.NONE : new PersonaLimits(persona, System::nanoTime);
    this.replies =
        persona == null
            ? StandardReplies.of(settings)
            : StandardReplies.of(settings, persona.replacements());
    this.rules = new RuleBook(settings.rules());
    this.tlsSupport = settings.tls() == null ? null : settings.tls().support();
    this.messages = new Kept<>(settings.keepLast());
    this.violations = new Kept<>(settings.keepLast());
  }

  /**
   * Starts a double with the default settings: 127.0.0.1, a free port, every extension, no rules.
   * It is ready to greet when this returns.
   *
   * @return the running double
   * @throws UncheckedIOException when it cannot listen
   */
  public static SmtpDouble start() {
    return builder().start();
  }

  /**
   * A builder for a double with other settings: port, bind address, host name, size limit,
   * timeouts, session and recipient limits, extensions, rules to start with.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The address clients should connect to: the bind address, or 127.0.0.1 when bound to every
   * address.
   *
   * @return the host, such as {@code "127.0.0.1"}
   */
  public String host() {
    InetAddress address = settings.bindAddress();
    return address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
  }

  /**
   * The port it listens on: the free one it was given when the settings said 0.
   *
   * @return the port
   */
  public int port() {
    return server.port();
  }

  /**
   * {@link #host()} and {@link #port()} together.
   *
   * @return the address to connect to
   */
  public InetSocketAddress address() {
    return new InetSocketAddress(host(), port());
  }

  /**
   * What a client needs to trust this double's TLS certificate: an {@code SSLContext}, a socket
   * factory, a trust store or PEM text. It trusts the double's certificate authority only, so the
   * client can keep checking host names.
   *
   * <pre>{@code
   * props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
   * }</pre>
   *
   * @return the client trust material
   * @throws IllegalStateException when the double was started without TLS
   */
  public ClientTls clientTls() {
    if (tlsSupport == null) {
      throw new IllegalStateException(
          "this double has no TLS: start it with SmtpDouble.builder().tls(Tls.starttls())");
    }
    return new ClientTls(tlsSupport.clientContext(), tlsSupport.trustStore(), tlsSupport.anchor());
  }

  /**
   * The settings it runs with.
   *
   * @return the settings
   */
  public Settings settings() {
    return settings;
  }

  /**
   * The provider persona the double answers as, when it was started with one.
   *
   * @return the persona, or empty
   */
  public Optional<Persona> persona() {
    return Optional.ofNullable(persona);
  }

  /**
   * Adds rules written in the script language, one per line; they take effect at once, also in
   * open sessions. Newer rules win over older ones. A {@code persona} line is refused here: a
   * persona is chosen as the double starts ({@link Builder#persona(Persona)}).
   *
   * <pre>{@code
   * smtp.script(
   *     "reply 451 \"4.7.1 Greylisted\" to RCPT 2 times",
   *     "disconnect after DATA  # the 'was it delivered?' case");
   * }</pre>
   *
   * @param lines the rules; each argument may hold several lines, {@code #} starts a comment
   * @return this double
   * @throws ScriptException at the first malformed rule (no rule of the script is added then)
   */
  public SmtpDouble script(String... lines) {
    for (Rule rule : Rule.parseScript(lines)) {
      rules.add(rule);
    }
    return this;
  }

  /**
   * Adds a rule value; it takes effect at once and is the newest.
   *
   * @param rule the rule
   * @return this double
   */
  public SmtpDouble add(Rule rule) {
    rules.add(Objects.requireNonNull(rule, "rule"));
    return this;
  }

  /**
   * Starts a rule acting instead of the normal reply to a command; the rule is added as soon as it
   * has an action, and each further call refines it.
   *
   * <pre>{@code
   * smtp.on(Command.MAIL).reply(421, "4.3.2 Try again later").once();
   * smtp.on(Command.DATA).reply(354).then(554, "5.7.1 Rejected");
   * }</pre>
   *
   * @param command the command, or {@link Command#CONNECT} for the greeting
   * @return a rule builder
   */
  public RuleBuilder on(Command command) {
    return new RuleBuilder(rules, Rule.Phase.TO, command.verb(), null);
  }

  /**
   * Starts a rule for the commands whose address (MAIL, RCPT) or argument matches a glob.
   *
   * <pre>{@code
   * smtp.on(Command.RCPT, "*@blocked.test").reply(550, "5.1.1 No such user");
   * }</pre>
   *
   * @param command the command
   * @param pattern a glob with {@code *} and {@code ?}, case-insensitive; angle brackets optional
   *     for addresses
   * @return a rule builder
   */
  public RuleBuilder on(Command command, String pattern) {
    return new RuleBuilder(rules, Rule.Phase.TO, command.verb(), pattern);
  }

  /**
   * Starts a rule for a verb that is not a {@link Command} constant, such as {@code XCLIENT}.
   *
   * @param verb the verb, any case
   * @return a rule builder
   */
  public RuleBuilder on(String verb) {
    return new RuleBuilder(rules, Rule.Phase.TO, verb, null);
  }

  /**
   * Starts a rule acting right after the reply to a command; for {@link Command#DATA}, once the
   * message has arrived, its replies answering the end of the data.
   *
   * <pre>{@code
   * smtp.after(Command.DATA).disconnect();   // the "was it delivered?" case
   * }</pre>
   *
   * @param command the command
   * @return a rule builder
   */
  public RuleBuilder after(Command command) {
    return new RuleBuilder(rules, Rule.Phase.AFTER, command.verb(), null);
  }

  /**
   * Starts an {@code after} rule for the commands whose address or argument matches a glob.
   *
   * @param command the command
   * @param pattern the glob
   * @return a rule builder
   */
  public RuleBuilder after(Command command, String pattern) {
    return new RuleBuilder(rules, Rule.Phase.AFTER, command.verb(), pattern);
  }

  /**
   * The rules in force, oldest first: those the double started with, then those added since.
   *
   * @return the rules
   */
  public List<Rule> rules() {
    return rules.rules();
  }

  /**
   * The rules that never acted: a scripted fault the test never reached is usually a broken test.
   *
   * @return the unused rules, oldest first
   */
  public List<Rule> unusedRules() {
    return rules.unused();
  }

  /**
   * Every message received so far, oldest first, whether accepted or rejected. A snapshot: it does
   * not change when more arrive. A double built with {@link Builder#keepLast(int)} holds only the
   * newest messages: {@link #droppedMessages()} says how many older ones were dropped.
   *
   * @return the messages
   */
  public List<ReceivedMessage> messages() {
    lock.lock();
    try {
      return messages.snapshot();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many messages were received but dropped to keep within {@link Builder#keepLast(int)}: the
   * oldest go first. Always 0 for a double that keeps everything (the default).
   *
   * @return the count since start or the last {@link #reset()}
   */
  public long droppedMessages() {
    lock.lock();
    try {
      return messages.dropped();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next message not taken yet, waiting for it to arrive if needed. Each message is taken
   * once, in the order they arrived.
   *
   * @param timeout how long to wait at most
   * @return the message, never null
   * @throws AssertionError when none arrives in time, saying what did arrive and showing the end
   *     of the transcript; or when the next messages were dropped before they were taken (see
   *     {@link Builder#keepLast(int)}): it says how many, and the next call goes on with the oldest
   *     message still kept
   */
  public ReceivedMessage takeMessage(Duration timeout) {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (taken >= messages.total()) {
        if (nanos <= 0 || closed) {
          throw new AssertionError(noMessage(timeout));
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

  private String noMessage(Duration timeout) {
    StringBuilder out = new StringBuilder();
    out.append(closed ? "The double is closed and no message is left to take" : "No message arrived within " + describe(timeout));
    out.append(" (").append(messages.total()).append(" received in all, ").append(taken).append(" taken before).");
    Transcript transcript = transcriptLocked();
    List<Transcript.Line> lines = transcript.lines();
    if (lines.isEmpty()) {
      out.append(" No client has connected to ").append(host()).append(':').append(port()).append('.');
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

  /**
   * Every session so far and every line of each: a snapshot.
   *
   * @return the transcript
   */
  public Transcript transcript() {
    lock.lock();
    try {
      return transcriptLocked();
    } finally {
      lock.unlock();
    }
  }

  private Transcript transcriptLocked() {
    List<SessionLog.Snapshot> snapshots = new ArrayList<>(logs.size());
    for (SessionLog log : logs) {
      snapshots.add(log.snapshot());
    }
    return Transcript.of(snapshots);
  }

  /**
   * The protocol violations the clients committed so far, in order.
   *
   * @return the violations
   */
  public List<Violation> violations() {
    lock.lock();
    try {
      return violations.snapshot();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forgets what happened: clears messages, transcript (but for sessions still open), violations
   * and every rule's count, and removes the rules added since start. Settings and the rules the
   * double started with stay. Open connections are not touched. A {@link RuleBuilder} obtained
   * before the reset throws {@link IllegalStateException} if used afterwards.
   */
  public void reset() {
    lock.lock();
    try {
      messages.clear();
      taken = 0;
      violations.clear();
      logs.removeIf(SessionLog::ended);
    } finally {
      lock.unlock();
    }
    rules.reset();
    limits.reset();
  }

  /**
   * Whether it is still accepting connections.
   *
   * @return false once {@link #close()} was called
   */
  public boolean isRunning() {
    return !closed;
  }

  /**
   * Stops listening, ends every open connection (a stalled one too) and joins every thread it
   * started. Idempotent; returns within about five seconds even if a thread misbehaves. What was
   * received stays readable.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close(CLOSE_BOUND);
    lock.lock();
    try {
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@code SmtpDouble{127.0.0.1:2525, running, 3 messages}}.
   *
   * @return host, port and state
   */
  @Override
  public String toString() {
    long count;
    lock.lock();
    try {
      count = messages.total();
    } finally {
      lock.unlock();
    }
    return "SmtpDouble{"
        + host()
        + ":"
        + (server == null ? settings.port() : server.port())
        + ", "
        + (closed ? "closed" : "running")
        + ", "
        + count
        + (count == 1 ? " message}" : " messages}");
  }

  private void listen() {
    try {
      server =
          Server.start(
              settings.bindAddress(),
              settings.port(),
              settings.maxSessions(),
              (socket, number, overLimit) -> new Session(socket, context, number, overLimit));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "smtp-double cannot listen on "
              + settings.bindAddress().getHostAddress()
              + ":"
              + settings.port()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private final SessionContext context =
      new SessionContext() {
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
          return tlsSupport;
        }

        @Override
        public Limits limits() {
          return limits;
        }

        @Override
        public SessionLog openLog(int number, InetSocketAddress remote) {
          SessionLog log =
              new SessionLog(
                  number, remote, listener == null ? null : lineListener, settings.keepLast() > 0);
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
            tell(() -> listener.sessionStarted(new Transcript.Session(log.snapshot())));
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
      };

  private final SessionLog.Listener lineListener =
      new SessionLog.Listener() {
        @Override
        public void line(SessionLog log, Transcript.Line line) {
          tell(() -> listener.transcriptLine(log.number(), line));
        }

        @Override
        public void ended(SessionLog log) {
          tell(() -> listener.sessionEnded(new Transcript.Session(log.snapshot())));
        }
      };

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

  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      // a listener's failure must not break the session that called it
      Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
    }
  }

  /**
   * Hears what happens as it happens, on the sessions' threads: for live logs and for forwarding
   * messages elsewhere. Keep the methods quick; a session waits for them.
   *
   * @since 0.1
   */
  public interface Listener {
    /**
     * A client connected.
     *
     * @param session the new session, with no lines yet
     */
    default void sessionStarted(Transcript.Session session) {}

    /**
     * A line was added to a session's transcript.
     *
     * @param sessionNumber the session's number
     * @param line the line
     */
    default void transcriptLine(int sessionNumber, Transcript.Line line) {}

    /**
     * A message was received (it is about to be visible in {@link #messages()}).
     *
     * @param message the message
     */
    default void messageReceived(ReceivedMessage message) {}

    /**
     * A client violated the protocol.
     *
     * @param violation the violation
     */
    default void violation(Violation violation) {}

    /**
     * A session ended.
     *
     * @param session the session as it ended
     */
    default void sessionEnded(Transcript.Session session) {}
  }

  /**
   * The settings a double runs with; immutable. Build them with {@link SmtpDouble#builder()}.
   *
   * @param bindAddress the address to listen on; 127.0.0.1 by default
   * @param port the port; 0 (the default) for a free one
   * @param hostname the name in the greeting and the EHLO reply; {@code localhost} by default
   * @param sizeLimit the largest message in octets, advertised with SIZE; 0 for no limit; 50 MiB
   *     by default
   * @param idleTimeout how long a command line may take to arrive before the double answers 421
   *     and closes; 0 for none; 60 s by default
   * @param dataTimeout how long the data of one message (or one BDAT chunk) may take; 0 for none;
   *     5 minutes by default
   * @param maxSessions how many sessions may be open at once; the next gets 421 4.3.2; 1000 by
   *     default
   * @param maxRecipients how many recipients one message may have; the next gets 452 4.5.3; 1000
   *     by default
   * @param extensions the ESMTP extensions offered in the EHLO reply; all by default
   * @param rules the rules the double starts with (kept by {@link SmtpDouble#reset()})
   * @param tls how TLS is offered, or null for no TLS (the default)
   * @param users the AUTH credentials, user name to password (or token for XOAUTH2); AUTH is
   *     offered when there is at least one
   * @param authMechanisms the SASL mechanisms offered; all four by default
   * @param requireAuth whether MAIL needs a successful AUTH first (530 5.7.0)
   * @param plaintextAuthNeedsTls whether PLAIN, LOGIN and XOAUTH2 need TLS first (538 5.7.11)
   * @param showSecrets whether the transcript shows AUTH secrets instead of {@code ****}
   * @param strict whether client violations are refused with the reply a strict server gives
   *     instead of only noted
   * @param checkHeaders whether each message must carry the Date, From and Message-ID headers of a
   *     message in transfer (RFC 5322 §3.6); off by default, since a submission server may add
   *     them (RFC 6409 §8)
   * @param keepLast how many of the newest messages, violations and ended sessions' transcripts
   *     the double keeps; {@link Integer#MAX_VALUE} (the default) keeps everything, 0 nothing
   */
  public record Settings(
      InetAddress bindAddress,
      int port,
      String hostname,
      long sizeLimit,
      Duration idleTimeout,
      Duration dataTimeout,
      int maxSessions,
      int maxRecipients,
      Set<Extension> extensions,
      List<Rule> rules,
      Tls tls,
      Map<String, String> users,
      Set<AuthMechanism> authMechanisms,
      boolean requireAuth,
      boolean plaintextAuthNeedsTls,
      boolean showSecrets,
      boolean strict,
      boolean checkHeaders,
      int keepLast) {

    /**
     * Checks and copies the settings.
     *
     * @param bindAddress the address to listen on
     * @param port the port
     * @param hostname the host name
     * @param sizeLimit the size limit
     * @param idleTimeout the idle timeout
     * @param dataTimeout the data timeout
     * @param maxSessions the session limit
     * @param maxRecipients the recipient limit
     * @param extensions the extensions
     * @param rules the starting rules
     * @param tls the TLS settings or null
     * @param users the AUTH credentials
     * @param authMechanisms the SASL mechanisms
     * @param requireAuth whether AUTH is required
     * @param plaintextAuthNeedsTls whether plaintext mechanisms need TLS
     * @param showSecrets whether secrets show in the transcript
     * @param strict whether violations are refused
     * @param checkHeaders whether missing transfer headers are violations
     * @param keepLast how many messages, violations and ended sessions are kept
     * @throws IllegalArgumentException when a value is out of range
     */
    public Settings {
      Objects.requireNonNull(bindAddress, "bindAddress");
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(dataTimeout, "dataTimeout");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, but was " + port);
      }
      if (hostname.isBlank() || !HOSTNAME.matcher(hostname).matches()) {
        throw new IllegalArgumentException(
            "hostname must be one word without spaces, but was \"" + hostname + "\"");
      }
      if (sizeLimit < 0) {
        throw new IllegalArgumentException("sizeLimit cannot be negative: " + sizeLimit);
      }
      if (idleTimeout.isNegative() || dataTimeout.isNegative()) {
        throw new IllegalArgumentException("timeouts cannot be negative");
      }
      if (keepLast < 0) {
        throw new IllegalArgumentException("keepLast cannot be negative: " + keepLast);
      }
      if (maxSessions < 1 || maxRecipients < 1) {
        throw new IllegalArgumentException("maxSessions and maxRecipients must be at least 1");
      }
      extensions =
          extensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extensions));
      rules = List.copyOf(rules);
      users = Map.copyOf(users);
      authMechanisms = authMechanisms.isEmpty() ? Set.of() : Set.copyOf(authMechanisms);
      if (requireAuth && users.isEmpty()) {
        throw new IllegalArgumentException("requireAuth needs at least one user: call user(name, secret)");
      }
      if (!users.isEmpty() && authMechanisms.isEmpty()) {
        throw new IllegalArgumentException("AUTH needs at least one mechanism");
      }
    }

    /**
     * Whether AUTH is offered: there is at least one user.
     *
     * @return true when AUTH is on
     */
    public boolean authEnabled() {
      return !users.isEmpty();
    }
  }

  /**
   * Configures a double, then {@link #start()}s it. Every setting has a default that suits a test.
   *
   * <pre>{@code
   * SmtpDouble smtp = SmtpDouble.builder()
   *     .hostname("mx.example.test")
   *     .sizeLimit(1024 * 1024)
   *     .extensions(Extension.SIZE, Extension.EIGHT_BIT_MIME)   // no PIPELINING
   *     .script("reply 421 to MAIL once")
   *     .start();
   * }</pre>
   *
   * @since 0.1
   */
  public static final class Builder {
    private InetAddress bindAddress = loopback();
    private int port;
    private String hostname = "localhost";
    private long sizeLimit = 50L * 1024 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration dataTimeout = Duration.ofMinutes(5);
    private int maxSessions = 1000;
    private int maxRecipients = 1000;
    private Set<Extension> extensions = Extension.all();
    private final List<Rule> rules = new ArrayList<>();
    private Listener listener;
    private Tls tls;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Set<AuthMechanism> authMechanisms = EnumSet.allOf(AuthMechanism.class);
    private boolean requireAuth;
    private boolean plaintextAuthNeedsTls;
    private boolean showSecrets;
    private boolean strict;
    private boolean checkHeaders;
    private int keepLast = Integer.MAX_VALUE;
    private Persona persona;

    private Builder() {}

    private static InetAddress loopback() {
      try {
        return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * The port to listen on; 0 (the default) picks a free one, which {@link SmtpDouble#port()}
     * tells.
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * The address to listen on; 127.0.0.1 by default. Other addresses expose the double to the
     * network: use them only when a client runs elsewhere.
     *
     * @param address the address
     * @return this builder
     */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * The address to listen on, as text: an IP address literal or a host name.
     *
     * @param address such as {@code "127.0.0.1"}, {@code "::1"} or {@code "0.0.0.0"}
     * @return this builder
     * @throws IllegalArgumentException when the address cannot be resolved
     */
    public Builder bindAddress(String address) {
      try {
        this.bindAddress = InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("unknown bind address: " + address, e);
      }
      return this;
    }

    /**
     * The host name the double calls itself in the greeting and EHLO reply.
     *
     * @param hostname one word, {@code localhost} by default
     * @return this builder
     */
    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    /**
     * The largest message accepted, in octets; larger ones get 552 5.3.4 (at MAIL when declared
     * with SIZE=, else after the data). 0 means no limit. 50 MiB by default.
     *
     * @param octets the limit
     * @return this builder
     */
    public Builder sizeLimit(long octets) {
      this.sizeLimit = octets;
      return this;
    }

    /**
     * How long a command may take to arrive before the double answers 421 4.4.2 and closes. Zero
     * for no timeout; 60 s by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * How long the data of one message may take to arrive in all. Zero for no timeout; 5 minutes
     * by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder dataTimeout(Duration timeout) {
      this.dataTimeout = timeout;
      return this;
    }

    /**
     * How many sessions may be open at once; one more is answered 421 4.3.2 and closed. 1000 by
     * default.
     *
     * @param sessions the limit
     * @return this builder
     */
    public Builder maxSessions(int sessions) {
      this.maxSessions = sessions;
      return this;
    }

    /**
     * How many recipients a message may have; one more gets 452 4.5.3. 1000 by default.
     *
     * @param recipients the limit
     * @return this builder
     */
    public Builder maxRecipients(int recipients) {
      this.maxRecipients = recipients;
      return this;
    }

    /**
     * The ESMTP extensions offered; the others are neither advertised nor honoured.
     *
     * @param offered the extensions; none for a double that offers nothing
     * @return this builder
     */
    public Builder extensions(Extension... offered) {
      this.extensions = offered.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(offered));
      return this;
    }

    /**
     * The ESMTP extensions offered, as a set.
     *
     * @param offered the extensions
     * @return this builder
     */
    public Builder extensions(Set<Extension> offered) {
      this.extensions = Set.copyOf(offered);
      return this;
    }

    /**
     * Rules the double starts with, in the script language; {@link SmtpDouble#reset()} keeps them.
     *
     * @param lines the rules, as for {@link SmtpDouble#script(String...)}
     * @return this builder
     * @throws ScriptException at the first malformed rule
     */
    public Builder script(String... lines) {
      rules.addAll(
          ScriptParser.parse(
              spec -> {
                Persona chosen = Persona.parse(spec);
                choose(chosen);
                return chosen.rules();
              },
              lines));
      return this;
    }

    /**
     * Answers as a provider does: its host name, TLS, AUTH mechanisms, size and recipient limits,
     * its reply texts and its stateful limits, and the rules of the situations switched on. Builder
     * calls after this one override its settings, and every rule wins over its replies. In the
     * script language: {@code persona ses-smtp with throttling}.
     *
     * <pre>{@code
     * SmtpDouble.builder()
     *     .persona(Persona.M365_SUBMISSION.with("throttling"))
     *     .user("printer@contoso.test", "secret")
     *     .start();
     * }</pre>
     *
     * <p>A persona that requires AUTH requires it only when the builder has a user; without one,
     * clients send without authenticating and the limits count them all as one user.
     *
     * @param persona the persona
     * @return this builder
     * @throws IllegalStateException when a persona was already chosen
     */
    public Builder persona(Persona persona) {
      choose(Objects.requireNonNull(persona, "persona"));
      rules.addAll(persona.rules());
      return this;
    }

    private void choose(Persona chosen) {
      if (persona != null) {
        throw new IllegalStateException(
            "a double answers as one persona, and " + persona.name() + " was chosen already");
      }
      persona = chosen;
      for (Persona.Setting setting : chosen.settings()) {
        List<String> values = setting.values();
        switch (setting.key()) {
          case "hostname" -> hostname = values.get(0);
          case "size-limit" -> sizeLimit = Long.parseLong(values.get(0));
          case "max-recipients" -> maxRecipients = Integer.parseInt(values.get(0));
          case "auth-needs-tls" -> plaintextAuthNeedsTls = true;
          case "tls" ->
              tls =
                  switch (values.get(0)) {
                    case "implicit" -> Tls.implicit();
                    case "starttls-required" -> Tls.starttls().required();
                    default -> Tls.starttls();
                  };
          case "extensions" -> {
            Set<Extension> offered = EnumSet.noneOf(Extension.class);
            values.forEach(v -> offered.add(Extension.fromKeyword(v).orElseThrow()));
            extensions = offered;
          }
          case "auth" -> {
            Set<AuthMechanism> mechanisms = EnumSet.noneOf(AuthMechanism.class);
            values.forEach(v -> mechanisms.add(AuthMechanism.fromKeyword(v).orElseThrow()));
            authMechanisms = mechanisms;
          }
          default -> {
            // auth-required: applied in settings(), once the users are known
          }
        }
      }
    }

    /**
     * A rule the double starts with.
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder rule(Rule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Offers TLS: STARTTLS or implicit, required or not, advertised or hidden, with the double's
     * own certificate or a key store's.
     *
     * <pre>{@code
     * SmtpDouble.builder().tls(Tls.starttls().required()).start();
     * }</pre>
     *
     * @param settings the TLS settings, or null for none
     * @return this builder
     */
    public Builder tls(Tls settings) {
      this.tls = settings;
      return this;
    }

    /**
     * Adds an AUTH user; with at least one user, AUTH is offered with {@link #authMechanisms}.
     *
     * @param name the user name (the authentication identity)
     * @param secret the password, or the bearer token for XOAUTH2
     * @return this builder
     */
    public Builder user(String name, String secret) {
      users.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(secret, "secret"));
      return this;
    }

    /**
     * The SASL mechanisms AUTH offers; PLAIN, LOGIN, CRAM-MD5 and XOAUTH2 by default.
     *
     * @param mechanisms at least one
     * @return this builder
     */
    public Builder authMechanisms(AuthMechanism... mechanisms) {
      this.authMechanisms =
          mechanisms.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(mechanisms));
      return this;
    }

    /**
     * Makes AUTH required: MAIL before a successful AUTH gets {@code 530 5.7.0 Authentication
     * required}.
     *
     * @return this builder
     */
    public Builder requireAuth() {
      this.requireAuth = true;
      return this;
    }

    /**
     * Refuses PLAIN, LOGIN and XOAUTH2 on an unencrypted session with {@code 538 5.7.11
     * Encryption required for requested authentication mechanism} (RFC 4954 §4).
     *
     * @return this builder
     */
    public Builder plaintextAuthNeedsTls() {
      this.plaintextAuthNeedsTls = true;
      return this;
    }

    /**
     * Shows AUTH secrets in the transcript instead of {@code ****}.
     *
     * @return this builder
     */
    public Builder showSecrets() {
      this.showSecrets = true;
      return this;
    }

    /**
     * Strict mode: client violations are refused with the reply a strict real server gives (for
     * instance 500 for a bare LF, 503 for MAIL before EHLO) instead of being only noted.
     *
     * @return this builder
     */
    public Builder strict() {
      this.strict = true;
      return this;
    }

    /**
     * Notes a message without the Date, From or Message-ID header that a message in transfer must
     * carry (RFC 5322 §3.6) as a violation: for a double that stands in for a relay or an MX. Off
     * by default, since a submission server may add them (RFC 6409 §8).
     *
     * @return this builder
     */
    public Builder checkHeaders() {
      this.checkHeaders = true;
      return this;
    }

    /**
     * Bounds what the double keeps, for long load tests: only the newest {@code count} messages,
     * violations and ended sessions' transcripts stay; older ones are dropped, oldest first (open
     * sessions are kept whole until they end). {@link SmtpDouble#droppedMessages()} counts the
     * dropped messages, and {@link SmtpDouble#takeMessage(Duration)} reports them with an {@code
     * AssertionError} instead of skipping them silently. 0 keeps nothing, not even transcript
     * lines: pair it with a {@link #listener(Listener)} that writes things down, as the command
     * line does. Everything is kept by default.
     *
     * <pre>{@code
     * SmtpDouble smtp = SmtpDouble.builder().keepLast(1000).start();
     * }</pre>
     *
     * @param count how many to keep, 0 or more
     * @return this builder
     */
    public Builder keepLast(int count) {
      this.keepLast = count;
      return this;
    }

    /**
     * Hears sessions, lines, messages and violations as they happen.
     *
     * @param listener the listener, or null for none
     * @return this builder
     */
    public Builder listener(Listener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * The settings as configured so far.
     *
     * @return the settings
     * @throws IllegalArgumentException when a value is out of range
     */
    public Settings settings() {
      return new Settings(
          bindAddress,
          port,
          hostname,
          sizeLimit,
          idleTimeout,
          dataTimeout,
          maxSessions,
          maxRecipients,
          extensions,
          rules,
          tls,
          users,
          authMechanisms,
          requireAuth
              || (persona != null
                  && persona.setting("auth-required").isPresent()
                  && !users.isEmpty()),
          plaintextAuthNeedsTls,
          showSecrets,
          strict,
          checkHeaders,
          keepLast);
    }

    /**
     * Starts the double. It is ready to greet when this returns.
     *
     * @return the running double
     * @throws IllegalArgumentException when a setting is out of range
     * @throws UncheckedIOException when it cannot listen, for instance on a port in use
     */
    public SmtpDouble start() {
      SmtpDouble smtp = new SmtpDouble(settings(), listener, persona);
      smtp.listen();
      return smtp;
    }
  }
}
