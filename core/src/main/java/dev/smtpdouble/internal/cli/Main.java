package dev.smtpdouble.internal.cli;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Extension;
import dev.smtpdouble.Persona;
import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.internal.script.Durations;
import dev.smtpdouble.internal.script.ScriptParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code java -jar smtp-double-core-<version>.jar [options]} runs a double until
 * interrupted; {@code explain CODE...} explains reply codes instead. A bad option or rule prints a
 * message naming it to standard error and exits with status 2. Every builder setting has an
 * option; durations are written as in the script language ({@code 30s}, {@code 2m}, {@code
 * 500ms}). It keeps nothing in memory that it has written down or printed, unless {@code --keep N}
 * asks it to.
 */
public final class Main {
  static final int OK = 0;
  static final int USAGE = 2;

  private static String usage(String jar) {
    return String.join(
        "\n",
        "Usage: java -jar " + jar + " [options]",
        "       java -jar " + jar + " explain CODE...",
        "",
        "Runs an SMTP test double until interrupted (Ctrl-C or SIGTERM).",
        "Durations are written as in the script language: 500ms, 30s, 1.5s, 2m.",
        "",
        "Options:",
        "  --port N            port to listen on (default 2525; 0 picks a free one)",
        "  --host ADDR         address to bind (default 127.0.0.1)",
        "  --script FILE       rules, one a line, in the script language",
        "  --rule \"RULE\"       one rule, e.g. --rule 'reply 421 to MAIL once'; may be repeated;",
        "                      added after the script file's rules",
        "  --persona \"SPEC\"    answer as a provider: gmail-submission, m365-submission,",
        "                      ses-smtp or gmail-mx, e.g. 'ses-smtp with throttling limits",
        "                      x0.001'; the other options given override its settings",
        "  --mailbox DIR       write each message to DIR/000001.eml, 000002.eml, ... and the",
        "                      transcript to DIR/transcript.log, as they happen; DIR must be new",
        "                      or empty (a folder holding files is refused with exit status 2,",
        "                      never overwritten or numbered on)",
        "  --keep N            keep the last N messages and sessions in memory too (default 0:",
        "                      what is written or printed is forgotten, so memory stays flat)",
        "  --hostname NAME     the name in the greeting and EHLO reply (default localhost)",
        "  --size-limit N      largest message in octets, 0 for none (default 52428800)",
        "  --idle-timeout DURATION  how long a client may stay silent before 421 (default 60s;",
        "                      0s for none)",
        "  --data-timeout DURATION  how long one message's data may take (default 5m; 0s for",
        "                      none)",
        "  --max-sessions N    sessions open at once; the next gets 421 4.3.2 (default 1000)",
        "  --max-recipients N  recipients per message; the next gets 452 4.5.3 (default 1000)",
        "  --extensions LIST   ESMTP extensions offered, e.g. SIZE,8BITMIME or none (default all:",
        "                      " + String.join(",", EXTENSION_NAMES) + ")",
        "  --tls               offer STARTTLS with the double's own certificate (localhost,",
        "                      127.0.0.1, ::1); its CA is written to DIR/ca.pem with --mailbox",
        "                      and to the file given by --ca-out",
        "  --smtps             implicit TLS: TLS from the first byte (SMTPS)",
        "  --require-tls       MAIL and AUTH before STARTTLS get 530 5.7.0",
        "  --hide-starttls     accept STARTTLS without advertising it",
        "  --keystore FILE     serve the key and chain of this PKCS12 file instead",
        "  --keystore-password PW   its password",
        "  --ca-out FILE       write the CA certificate clients should trust (PEM)",
        "  --user NAME:SECRET  an AUTH user (password, or token for XOAUTH2); may be repeated",
        "  --auth MECHS        mechanisms offered, e.g. PLAIN,LOGIN (default all:",
        "                      PLAIN,LOGIN,CRAM-MD5,XOAUTH2)",
        "  --require-auth      MAIL before a successful AUTH gets 530 5.7.0",
        "  --auth-needs-tls    PLAIN, LOGIN and XOAUTH2 before TLS get 538 5.7.11",
        "  --show-secrets      show AUTH secrets in the transcript instead of ****",
        "  --strict            refuse client violations instead of only noting them",
        "  --check-headers     note messages without Date, From or Message-ID (relay/MX)",
        "  --help              this text",
        "",
        "explain CODE...       what reply codes (211 354) or enhanced status codes (5.7.1)",
        "                      mean, when a client sees them and what to do",
        "",
        "Once listening it prints: smtp-double listening on HOST:PORT",
        "transcript.log is written by a writer thread at least every 100 ms: a crash or kill -9",
        "loses at most the lines of that last moment; a clean stop (Ctrl-C, SIGTERM) loses nothing.");
  }

  private static final List<String> EXTENSION_NAMES =
      Extension.all().stream().sorted().map(Extension::keyword).toList();

  /**
   * The jar's real file name when run with {@code java -jar}, else its pattern.
   *
   * @return such as {@code smtp-double-core-0.1.0.jar}
   */
  static String jarName() {
    try {
      var source = Main.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        String name = Path.of(source.getLocation().toURI()).getFileName().toString();
        if (name.endsWith(".jar")) {
          return name;
        }
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall back to the pattern
    }
    return "smtp-double-core-<version>.jar";
  }

  private Main() {}

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != OK) {
      System.exit(status);
    }
  }

  /**
   * Runs the command line: serves until the JVM is asked to stop, or returns at once for {@code
   * --help}, {@code explain} and errors.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit status
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("explain")) {
      return Explain.run(Arrays.asList(args).subList(1, args.length), out, err);
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (UsageException e) {
      err.println("smtp-double: " + e.getMessage());
      err.println("Run with --help for the options.");
      return USAGE;
    }
    if (options.help) {
      out.println(usage(jarName()));
      return OK;
    }
    return serve(options, out, err);
  }

  private static int serve(Options options, PrintStream out, PrintStream err) {
    Tls tls;
    try {
      tls = options.tls();
    } catch (IOException | IllegalArgumentException e) {
      err.println("smtp-double: --keystore " + options.keystore + ": " + e.getMessage());
      return USAGE;
    }
    MailboxWriter mailbox = null;
    SmtpDouble smtp;
    try {
      if (options.mailbox != null) {
        mailbox = new MailboxWriter(options.mailbox, out);
      }
      smtp = options.builder(tls).listener(mailbox == null ? new ConsoleListener(out) : mailbox).start();
    } catch (UncheckedIOException e) {
      closeQuietly(mailbox);
      // the double's own message starts with "smtp-double" too; say it once
      err.println(
          "smtp-double: cannot listen on "
              + options.host.getHostAddress()
              + ":"
              + options.port
              + ": "
              + e.getCause().getMessage()
              + (e.getCause() instanceof java.net.BindException && options.port != 0
                  ? " (another process listens there: choose another --port, or --port 0 for a"
                      + " free one, printed on the listening line)"
                  : ""));
      return USAGE;
    } catch (IOException e) {
      // only the mailbox folder throws IOException here
      err.println("smtp-double: --mailbox " + options.mailbox + ": " + mailboxProblem(options.mailbox, e));
      return USAGE;
    } catch (IllegalArgumentException e) {
      closeQuietly(mailbox);
      err.println("smtp-double: " + e.getMessage());
      return USAGE;
    }
    if (tls != null) {
      String pem = smtp.clientTls().certificatePem();
      try {
        if (options.mailbox != null) {
          Files.writeString(options.mailbox.resolve("ca.pem"), pem, StandardCharsets.US_ASCII);
        }
        if (options.caOut != null) {
          Files.writeString(options.caOut, pem, StandardCharsets.US_ASCII);
        }
      } catch (IOException e) {
        smtp.close();
        closeQuietly(mailbox);
        err.println("smtp-double: cannot write the CA certificate: " + e.getMessage());
        return USAGE;
      }
    }
    if (!options.host.isLoopbackAddress()) {
      err.println(
          "smtp-double: warning: listening on "
              + options.host.getHostAddress()
              + ", which other machines may reach; the double accepts mail from anyone who"
              + " connects");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    MailboxWriter writer = mailbox;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  smtp.close();
                  if (writer != null) {
                    try {
                      writer.finish();
                    } catch (IOException e) {
                      err.println("smtp-double: cannot write the transcript: " + e.getMessage());
                    }
                  }
                  out.println("smtp-double stopped");
                  out.flush();
                  stopped.countDown();
                },
                "smtp-double-shutdown"));
    String bound = options.host.getHostAddress();
    out.println(
        "smtp-double listening on "
            + (bound.indexOf(':') >= 0 ? "[" + bound + "]" : bound)
            + ":"
            + smtp.port());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  private static void closeQuietly(MailboxWriter mailbox) {
    if (mailbox != null) {
      mailbox.abandon();
    }
  }

  /** What is wrong with the mailbox folder, in words that say what to do. */
  static String mailboxProblem(Path folder, IOException e) {
    if (e instanceof MailboxWriter.NotEmpty) {
      return e.getMessage();
    }
    String where =
        e instanceof FileSystemException problem && problem.getFile() != null
            ? problem.getFile()
            : folder.toString();
    if (e instanceof FileAlreadyExistsException) {
      return where + " exists and is not a folder: give a folder, new or empty";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: cannot create or write " + where;
    }
    if (e instanceof NoSuchFileException) {
      Path parent = Path.of(where).toAbsolutePath().getParent();
      return "cannot create the folder "
          + where
          + (parent == null ? "" : ": " + parent + " does not accept new folders")
          + " (no such file or directory); give a folder you can write to";
    }
    if (e instanceof FileSystemException problem && problem.getReason() != null) {
      return "cannot create or write " + where + ": " + problem.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return "cannot create or write the folder: " + e;
  }

  /** Prints messages and violations when there is no mailbox folder. */
  private static final class ConsoleListener implements SmtpDouble.Listener {
    private final PrintStream out;

    ConsoleListener(PrintStream out) {
      this.out = out;
    }

    @Override
    public void messageReceived(dev.smtpdouble.ReceivedMessage message) {
      out.println(
          "received message: from <"
              + message.from()
              + "> to "
              + message.recipients()
              + ", "
              + message.size()
              + " octets");
    }

    @Override
    public void violation(dev.smtpdouble.Violation violation) {
      out.println("violation: " + violation);
    }
  }

  /** A bad command line; the message names the option. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The parsed options. */
  static final class Options {
    int port = 2525;
    InetAddress host;
    Path mailbox;
    String hostname = "localhost";
    long sizeLimit = 50L * 1024 * 1024;
    Duration idleTimeout = Duration.ofSeconds(60);
    Duration dataTimeout = Duration.ofMinutes(5);
    int maxSessions = 1000;
    int maxRecipients = 1000;
    Set<Extension> extensions = Extension.all();
    int keep;
    boolean help;
    final List<Rule> rules = new ArrayList<>();
    boolean starttls;
    boolean smtps;
    boolean requireTls;
    boolean hideStarttls;
    Path keystore;
    String keystorePassword;
    Path caOut;
    final Map<String, String> users = new LinkedHashMap<>();
    List<AuthMechanism> mechanisms = List.of(AuthMechanism.values());
    boolean requireAuth;
    boolean authNeedsTls;
    boolean showSecrets;
    boolean strict;
    boolean checkHeaders;
    Persona persona;
    final Set<String> given = new HashSet<>();

    /**
     * A builder with every setting these options give (the listener aside).
     *
     * @param tls the TLS settings, from {@link #tls()}
     * @return the builder
     */
    SmtpDouble.Builder builder(Tls tls) {
      SmtpDouble.Builder builder =
          SmtpDouble.builder()
              .bindAddress(host)
              .port(port)
              .idleTimeout(idleTimeout)
              .dataTimeout(dataTimeout)
              .maxSessions(maxSessions)
              .keepLast(keep);
      if (persona != null) {
        // first: the options given explicitly override the persona's settings
        builder.persona(persona);
      }
      if (persona == null || given.contains("--hostname")) {
        builder.hostname(hostname);
      }
      if (persona == null || given.contains("--size-limit")) {
        builder.sizeLimit(sizeLimit);
      }
      if (persona == null || given.contains("--max-recipients")) {
        builder.maxRecipients(maxRecipients);
      }
      if (persona == null || given.contains("--extensions")) {
        builder.extensions(extensions);
      }
      if (persona == null || tls != null) {
        builder.tls(tls);
      }
      if (persona == null || given.contains("--auth")) {
        builder.authMechanisms(mechanisms.toArray(new AuthMechanism[0]));
      }
      users.forEach(builder::user);
      if (requireAuth) {
        builder.requireAuth();
      }
      if (authNeedsTls) {
        builder.plaintextAuthNeedsTls();
      }
      if (showSecrets) {
        builder.showSecrets();
      }
      if (strict) {
        builder.strict();
      }
      if (checkHeaders) {
        builder.checkHeaders();
      }
      for (Rule rule : rules) {
        builder.rule(rule);
      }
      return builder;
    }

    /** The TLS settings the options ask for, or null. */
    Tls tls() throws IOException {
      if (!starttls && !smtps) {
        return null;
      }
      Tls tls = smtps ? Tls.implicit() : Tls.starttls();
      if (requireTls) {
        tls = tls.required();
      }
      if (hideStarttls) {
        tls = tls.hidden();
      }
      if (keystore != null) {
        char[] password = keystorePassword == null ? new char[0] : keystorePassword.toCharArray();
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
          store = KeyStore.getInstance("PKCS12");
          store.load(in, password);
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
        tls = tls.keyStore(store, password);
      }
      return tls;
    }

    static Options parse(String[] args) throws UsageException {
      Options options = new Options();
      List<Rule> scriptRules = new ArrayList<>();
      List<Rule> ruleRules = new ArrayList<>();
      String hostText = "127.0.0.1";
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String inline = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 2) {
          name = arg.substring(0, eq);
          inline = arg.substring(eq + 1);
        }
        options.given.add(name);
        switch (name) {
          case "--help", "-h" -> options.help = true;
          case "--port" -> options.port = port(value(args, i, name, inline));
          case "--host" -> hostText = value(args, i, name, inline);
          case "--hostname" -> options.hostname = value(args, i, name, inline);
          case "--mailbox" -> options.mailbox = Path.of(value(args, i, name, inline));
          case "--size-limit" ->
              options.sizeLimit = number(name, value(args, i, name, inline), Long.MAX_VALUE);
          case "--idle-timeout" -> options.idleTimeout = duration(name, value(args, i, name, inline));
          case "--data-timeout" -> options.dataTimeout = duration(name, value(args, i, name, inline));
          case "--max-sessions" ->
              options.maxSessions = (int) positive(name, value(args, i, name, inline));
          case "--max-recipients" ->
              options.maxRecipients = (int) positive(name, value(args, i, name, inline));
          case "--extensions" -> options.extensions = extensions(value(args, i, name, inline));
          case "--keep" ->
              options.keep = (int) number(name, value(args, i, name, inline), Integer.MAX_VALUE);
          case "--script" -> scriptRules.addAll(script(options, value(args, i, name, inline)));
          case "--persona" -> persona(options, value(args, i, name, inline));
          case "--rule" -> ruleRules.add(rule(value(args, i, name, inline)));
          case "--tls" -> options.starttls = true;
          case "--smtps" -> options.smtps = true;
          case "--require-tls" -> options.requireTls = true;
          case "--hide-starttls" -> options.hideStarttls = true;
          case "--keystore" -> options.keystore = Path.of(value(args, i, name, inline));
          case "--keystore-password" -> options.keystorePassword = value(args, i, name, inline);
          case "--ca-out" -> options.caOut = Path.of(value(args, i, name, inline));
          case "--user" -> user(options, value(args, i, name, inline));
          case "--auth" -> options.mechanisms = mechanisms(value(args, i, name, inline));
          case "--require-auth" -> options.requireAuth = true;
          case "--auth-needs-tls" -> options.authNeedsTls = true;
          case "--show-secrets" -> options.showSecrets = true;
          case "--strict" -> options.strict = true;
          case "--check-headers" -> options.checkHeaders = true;
          default -> {
            if (arg.startsWith("-")) {
              throw new UsageException("unknown option " + arg);
            }
            throw new UsageException(
                "unexpected argument \"" + arg + "\" (options start with --; see --help)");
          }
        }
        if (inline == null && !FLAGS.contains(name)) {
          i++;
        }
      }
      if (options.starttls && options.smtps) {
        throw new UsageException("--tls and --smtps exclude each other: choose one");
      }
      boolean tlsDetail =
          options.requireTls || options.hideStarttls || options.keystore != null || options.caOut != null;
      if (tlsDetail && !options.starttls && !options.smtps) {
        throw new UsageException(
            "--require-tls, --hide-starttls, --keystore and --ca-out need --tls or --smtps");
      }
      if ((options.requireAuth || options.authNeedsTls) && options.users.isEmpty()) {
        throw new UsageException("--require-auth and --auth-needs-tls need at least one --user");
      }
      options.host = host(hostText);
      options.rules.addAll(scriptRules);
      options.rules.addAll(ruleRules);
      return options;
    }

    private static final Set<String> FLAGS =
        Set.of(
            "--help", "-h", "--tls", "--smtps", "--require-tls", "--hide-starttls", "--require-auth",
            "--auth-needs-tls", "--show-secrets", "--strict", "--check-headers");

    private static void user(Options options, String text) throws UsageException {
      int colon = text.indexOf(':');
      if (colon <= 0) {
        throw new UsageException("--user needs NAME:SECRET, but was \"" + text + "\"");
      }
      options.users.put(text.substring(0, colon), text.substring(colon + 1));
    }

    private static List<AuthMechanism> mechanisms(String text) throws UsageException {
      List<AuthMechanism> mechanisms = new ArrayList<>();
      for (String word : text.split(",")) {
        mechanisms.add(
            AuthMechanism.fromKeyword(word.strip())
                .orElseThrow(
                    () ->
                        new UsageException(
                            "--auth: unknown mechanism \""
                                + word.strip()
                                + "\" (known: PLAIN, LOGIN, CRAM-MD5, XOAUTH2)")));
      }
      return mechanisms;
    }

    private static Duration duration(String name, String text) throws UsageException {
      try {
        return Durations.parse(text.strip());
      } catch (IllegalArgumentException e) {
        String hint =
            text.strip().matches("[0-9]+") ? " (a number needs its unit: " + text.strip() + "s?)" : "";
        throw new UsageException(
            name + " needs " + e.getMessage() + ", but was \"" + text + "\"" + hint);
      }
    }

    private static long positive(String name, String text) throws UsageException {
      long value = number(name, text, Integer.MAX_VALUE);
      if (value < 1) {
        throw new UsageException(name + " must be at least 1, but was " + text);
      }
      return value;
    }

    private static Set<Extension> extensions(String text) throws UsageException {
      if (text.strip().equalsIgnoreCase("none")) {
        return Set.of();
      }
      Set<Extension> offered = new java.util.LinkedHashSet<>();
      for (String word : text.split(",")) {
        offered.add(
            Extension.fromKeyword(word.strip())
                .orElseThrow(
                    () ->
                        new UsageException(
                            "--extensions: unknown extension \""
                                + word.strip()
                                + "\" (known: "
                                + String.join(", ", EXTENSION_NAMES)
                                + "; or none)")));
      }
      return offered;
    }

    private static String value(String[] args, int i, String name, String inline)
        throws UsageException {
      if (inline != null) {
        return inline;
      }
      if (i + 1 >= args.length) {
        throw new UsageException(name + " needs a value");
      }
      return args[i + 1];
    }

    private static int port(String text) throws UsageException {
      return (int) number("--port", text, 65535);
    }

    private static long number(String name, String text, long max) throws UsageException {
      try {
        long value = Long.parseLong(text);
        if (value < 0 || value > max) {
          throw new UsageException(name + " must be 0 to " + max + ", but was " + text);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new UsageException(name + " needs a whole number, but was \"" + text + "\"");
      }
    }

    private static InetAddress host(String text) throws UsageException {
      try {
        return InetAddress.getByName(text);
      } catch (UnknownHostException e) {
        throw new UsageException("--host " + text + ": unknown address");
      }
    }

    private static void persona(Options options, String spec) throws UsageException {
      if (options.persona != null) {
        throw new UsageException(
            "--persona \"" + spec + "\": a double answers as one persona, and "
                + options.persona.name() + " was chosen already");
      }
      try {
        options.persona = Persona.parse(spec);
      } catch (ScriptException e) {
        throw new UsageException("--persona \"" + spec + "\": " + e.getMessage());
      }
    }

    private static List<Rule> script(Options options, String file) throws UsageException {
      String text;
      try {
        text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new UsageException("--script " + file + ": no such file");
      } catch (IOException e) {
        throw new UsageException("--script " + file + ": cannot read it: " + e.getMessage());
      }
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1); // a byte order mark, as Windows editors write: not a rule
      }
      try {
        return ScriptParser.parse(
            spec -> {
              if (options.persona != null) {
                throw new IllegalStateException(
                    "a double answers as one persona, and "
                        + options.persona.name()
                        + " was chosen already");
              }
              options.persona = Persona.parse(spec);
              return options.persona.rules();
            },
            text);
      } catch (ScriptException e) {
        throw new UsageException("--script " + file + ": " + e.getMessage());
      }
    }

    private static Rule rule(String text) throws UsageException {
      try {
        return Rule.parse(text);
      } catch (ScriptException e) {
        throw new UsageException("--rule \"" + text + "\": " + e.getMessage());
      }
    }
  }
}
