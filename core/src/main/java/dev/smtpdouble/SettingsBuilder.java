package dev.smtpdouble;

import dev.smtpdouble.internal.script.ScriptParser;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings a {@link SmtpDouble.Builder} collects, each with a default that suits a test: the
 * builder's setters live here, its {@code start()} in {@link SmtpDouble.Builder}.
 */
abstract sealed class SettingsBuilder permits SmtpDouble.Builder {
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
  private SmtpDouble.Listener listener;
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
  public SmtpDouble.Builder port(int port) {
    this.port = port;
    return self();
  }

  /**
   * The address to listen on; 127.0.0.1 by default. Other addresses expose the double to the
   * network: use them only when a client runs elsewhere.
   *
   * @param address the address
   * @return this builder
   */
  public SmtpDouble.Builder bindAddress(InetAddress address) {
    this.bindAddress = Objects.requireNonNull(address, "address");
    return self();
  }

  /**
   * The address to listen on, as text: an IP address literal or a host name.
   *
   * @param address such as {@code "127.0.0.1"}, {@code "::1"} or {@code "0.0.0.0"}
   * @return this builder
   * @throws IllegalArgumentException when the address cannot be resolved
   */
  public SmtpDouble.Builder bindAddress(String address) {
    try {
      this.bindAddress = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown bind address: " + address, e);
    }
    return self();
  }

  /**
   * The host name the double calls itself in the greeting and EHLO reply.
   *
   * @param hostname one word, {@code localhost} by default
   * @return this builder
   */
  public SmtpDouble.Builder hostname(String hostname) {
    this.hostname = hostname;
    return self();
  }

  /**
   * The largest message accepted, in octets; larger ones get 552 5.3.4 (at MAIL when declared
   * with SIZE=, else after the data). 0 means no limit. 50 MiB by default.
   *
   * @param octets the limit
   * @return this builder
   */
  public SmtpDouble.Builder sizeLimit(long octets) {
    this.sizeLimit = octets;
    return self();
  }

  /**
   * How long a command may take to arrive before the double answers 421 4.4.2 and closes. Zero
   * for no timeout; 60 s by default.
   *
   * @param timeout the timeout
   * @return this builder
   */
  public SmtpDouble.Builder idleTimeout(Duration timeout) {
    this.idleTimeout = timeout;
    return self();
  }

  /**
   * How long the data of one message may take to arrive in all. Zero for no timeout; 5 minutes
   * by default.
   *
   * @param timeout the timeout
   * @return this builder
   */
  public SmtpDouble.Builder dataTimeout(Duration timeout) {
    this.dataTimeout = timeout;
    return self();
  }

  /**
   * How many sessions may be open at once; one more is answered 421 4.3.2 and closed. 1000 by
   * default.
   *
   * @param sessions the limit
   * @return this builder
   */
  public SmtpDouble.Builder maxSessions(int sessions) {
    this.maxSessions = sessions;
    return self();
  }

  /**
   * How many recipients a message may have; one more gets 452 4.5.3. 1000 by default.
   *
   * @param recipients the limit
   * @return this builder
   */
  public SmtpDouble.Builder maxRecipients(int recipients) {
    this.maxRecipients = recipients;
    return self();
  }

  /**
   * The ESMTP extensions offered; the others are neither advertised nor honoured.
   *
   * @param offered the extensions; none for a double that offers nothing
   * @return this builder
   */
  public SmtpDouble.Builder extensions(Extension... offered) {
    this.extensions = offered.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(offered));
    return self();
  }

  /**
   * The ESMTP extensions offered, as a set.
   *
   * @param offered the extensions
   * @return this builder
   */
  public SmtpDouble.Builder extensions(Set<Extension> offered) {
    this.extensions = Set.copyOf(offered);
    return self();
  }

  /**
   * Rules the double starts with, in the script language; {@link SmtpDouble#reset()} keeps them.
   *
   * @param lines the rules, as for {@link SmtpDouble#script(String...)}
   * @return this builder
   * @throws ScriptException at the first malformed rule
   */
  public SmtpDouble.Builder script(String... lines) {
    rules.addAll(
        ScriptParser.parse(
            spec -> {
              Persona chosen = Persona.parse(spec);
              choose(chosen);
              return chosen.rules();
            },
            lines));
    return self();
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
  public SmtpDouble.Builder persona(Persona persona) {
    choose(Objects.requireNonNull(persona, "persona"));
    rules.addAll(persona.rules());
    return self();
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
  public SmtpDouble.Builder rule(Rule rule) {
    rules.add(Objects.requireNonNull(rule, "rule"));
    return self();
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
  public SmtpDouble.Builder tls(Tls settings) {
    this.tls = settings;
    return self();
  }

  /**
   * Adds an AUTH user; with at least one user, AUTH is offered with {@link #authMechanisms}.
   *
   * @param name the user name (the authentication identity)
   * @param secret the password, or the bearer token for XOAUTH2
   * @return this builder
   */
  public SmtpDouble.Builder user(String name, String secret) {
    users.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(secret, "secret"));
    return self();
  }

  /**
   * The SASL mechanisms AUTH offers; PLAIN, LOGIN, CRAM-MD5 and XOAUTH2 by default.
   *
   * @param mechanisms at least one
   * @return this builder
   */
  public SmtpDouble.Builder authMechanisms(AuthMechanism... mechanisms) {
    this.authMechanisms =
        mechanisms.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(mechanisms));
    return self();
  }

  /**
   * Makes AUTH required: MAIL before a successful AUTH gets {@code 530 5.7.0 Authentication
   * required}.
   *
   * @return this builder
   */
  public SmtpDouble.Builder requireAuth() {
    this.requireAuth = true;
    return self();
  }

  /**
   * Refuses PLAIN, LOGIN and XOAUTH2 on an unencrypted session with {@code 538 5.7.11
   * Encryption required for requested authentication mechanism} (RFC 4954 §4).
   *
   * @return this builder
   */
  public SmtpDouble.Builder plaintextAuthNeedsTls() {
    this.plaintextAuthNeedsTls = true;
    return self();
  }

  /**
   * Shows AUTH secrets in the transcript instead of {@code ****}.
   *
   * @return this builder
   */
  public SmtpDouble.Builder showSecrets() {
    this.showSecrets = true;
    return self();
  }

  /**
   * Strict mode: client violations are refused with the reply a strict real server gives (for
   * instance 500 for a bare LF, 503 for MAIL before EHLO) instead of being only noted.
   *
   * @return this builder
   */
  public SmtpDouble.Builder strict() {
    this.strict = true;
    return self();
  }

  /**
   * Notes a message without the Date, From or Message-ID header that a message in transfer must
   * carry (RFC 5322 §3.6) as a violation: for a double that stands in for a relay or an MX. Off
   * by default, since a submission server may add them (RFC 6409 §8).
   *
   * @return this builder
   */
  public SmtpDouble.Builder checkHeaders() {
    this.checkHeaders = true;
    return self();
  }

  /**
   * Bounds what the double keeps, for long load tests: only the newest {@code count} messages,
   * violations and ended sessions' transcripts stay; older ones are dropped, oldest first (open
   * sessions are kept whole until they end). {@link SmtpDouble#droppedMessages()} counts the
   * dropped messages, and {@link SmtpDouble#takeMessage(Duration)} reports them with an {@code
   * AssertionError} instead of skipping them silently. 0 keeps nothing, not even transcript
   * lines: pair it with a {@link #listener(SmtpDouble.Listener)} that writes things down, as the
   * command line does. Everything is kept by default.
   *
   * <pre>{@code
   * SmtpDouble smtp = SmtpDouble.builder().keepLast(1000).start();
   * }</pre>
   *
   * @param count how many to keep, 0 or more
   * @return this builder
   */
  public SmtpDouble.Builder keepLast(int count) {
    this.keepLast = count;
    return self();
  }

  /**
   * Hears sessions, lines, messages and violations as they happen.
   *
   * @param listener the listener, or null for none
   * @return this builder
   */
  public SmtpDouble.Builder listener(SmtpDouble.Listener listener) {
    this.listener = listener;
    return self();
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

  /** The persona chosen, or null. */
  Persona persona() {
    return persona;
  }

  /** The listener given, or null. */
  SmtpDouble.Listener listener() {
    return listener;
  }

  private SmtpDouble.Builder self() {
    return (SmtpDouble.Builder) this;
  }
}
