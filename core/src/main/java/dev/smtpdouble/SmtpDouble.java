package dev.smtpdouble;

import dev.smtpdouble.internal.script.RuleBook;
import dev.smtpdouble.internal.server.Server;
import dev.smtpdouble.internal.tls.TlsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  private final Settings settings;
  private final Listener listener;
  private final RuleBook rules;
  private final TlsSupport tlsSupport;
  private final Recorder recorder;
  private final Persona persona;
  private Server server;
  private volatile boolean closed;

  private SmtpDouble(Settings settings, Listener listener, Persona persona) {
    this.settings = settings;
    this.listener = listener;
    this.persona = persona;
    this.rules = new RuleBook(settings.rules());
    this.tlsSupport = settings.tls() == null ? null : settings.tls().support();
    this.recorder = new Recorder(settings, listener, persona, rules, tlsSupport);
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
    return recorder.messages();
  }

  /**
   * How many messages were received but dropped to keep within {@link Builder#keepLast(int)}: the
   * oldest go first. Always 0 for a double that keeps everything (the default).
   *
   * @return the count since start or the last {@link #reset()}
   */
  public long droppedMessages() {
    return recorder.droppedMessages();
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
    return recorder.take(timeout, () -> host() + ":" + port());
  }

  /**
   * Every session so far and every line of each: a snapshot.
   *
   * @return the transcript
   */
  public Transcript transcript() {
    return recorder.transcript();
  }

  /**
   * The protocol violations the clients committed so far, in order.
   *
   * @return the violations
   */
  public List<Violation> violations() {
    return recorder.violations();
  }

  /**
   * Forgets what happened: clears messages, transcript (but for sessions still open), violations
   * and every rule's count, and removes the rules added since start. Settings and the rules the
   * double started with stay. Open connections are not touched. A {@link RuleBuilder} obtained
   * before the reset throws {@link IllegalStateException} if used afterwards.
   */
  public void reset() {
    recorder.reset();
    rules.reset();
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
    recorder.markClosing();
    server.close(CLOSE_BOUND);
    recorder.wakeWaiters();
  }

  /**
   * {@code SmtpDouble{127.0.0.1:2525, running, 3 messages}}.
   *
   * @return host, port and state
   */
  @Override
  public String toString() {
    long count = recorder.messageCount();
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
              recorder);
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
  public static final class Builder extends SettingsBuilder {
    private Builder() {}

    /**
     * Starts the double. It is ready to greet when this returns.
     *
     * @return the running double
     * @throws IllegalArgumentException when a setting is out of range
     * @throws UncheckedIOException when it cannot listen, for instance on a port in use
     */
    public SmtpDouble start() {
      SmtpDouble smtp = new SmtpDouble(settings(), listener(), persona());
      smtp.listen();
      return smtp;
    }
  }
}
