package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Action;
import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Extension;
import dev.smtpdouble.Reply;
import dev.smtpdouble.Rule;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.DataRecord;
import dev.smtpdouble.internal.capture.Escaping;
import dev.smtpdouble.internal.capture.MessageData;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.mime.HeaderField;
import dev.smtpdouble.internal.mime.MessageText;
import dev.smtpdouble.internal.script.RuleBook;
import dev.smtpdouble.internal.server.Server;
import dev.smtpdouble.internal.tls.TlsSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One SMTP session on a blocking socket, from greeting to close: the RFC 5321 state machine, with
 * every reply and socket effect open to the rules. For each command the session works out the
 * reply it would give and the state change that goes with it, asks the {@link RuleBook} which
 * rules act, and carries out either the rule's actions or the normal reply; a positive reply
 * (scripted or not) applies the state change (SPEC §8).
 *
 * <p>Input is read in large blocks ({@link SmtpInput}); replies are buffered and flushed when the
 * session is about to wait for input. A message is recorded (made visible to the test, its
 * listeners told) before the first byte of the reply that answers it is written.
 */
public final class Session implements Runnable, Server.Watched {
  private static final int MAX_STORED_LINE = 16 * 1024;
  private static final int COMMAND_LIMIT = 512;
  private static final int AUTH_LIMIT = 12288;
  private static final String END_OF_DATA = "end of data";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
  private static final Pattern BODY_TYPES = Pattern.compile("7BIT|8BITMIME|BINARYMIME");
  private static final Pattern NOTIFY =
      Pattern.compile("(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY)){0,2}");
  private static final Set<String> GROUP_ENDERS =
      Set.of("EHLO", "HELO", "DATA", "VRFY", "EXPN", "TURN", "QUIT", "NOOP", "AUTH", "STARTTLS");

  /** A fatal TLS alert record: handshake_failure (40), as a server that gives up sends it. */
  private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

  private volatile Socket socket;
  private final SessionContext context;
  private final int number;
  private final boolean overLimit;
  private final SmtpDouble.Settings settings;
  private final StandardReplies replies;
  private final RuleBook rules;
  private final Limits limits;
  private final Set<Extension> offered;
  private final Tls tls;
  private final TlsSupport tlsSupport;
  private final SmtpInput.RawLine line = new SmtpInput.RawLine();
  private final SmtpInput.DataResult dataResult = new SmtpInput.DataResult();
  private final GrowableBytes body = new GrowableBytes();

  private volatile SessionLog log;
  private SmtpInput input;
  private volatile SmtpOutput output;

  private String heloName = "";
  private boolean greeted;
  private boolean refusedAtGreeting;
  private Set<String> advertised = Set.of();
  private Transaction transaction;
  private int transactions;
  private boolean closeAfterReply;
  private boolean quit;
  private boolean aheadNoted;
  private String verb = "";
  private String shownLine = "";
  private int commandLine;
  private Reply answered;
  private PendingMessage pending;
  private String lastFrom = "";
  private List<String> lastRecipients = List.of();
  private boolean bodyBefore354;
  private volatile boolean writeTimedOut;
  private volatile boolean stalled; // a stalled session says nothing, not even when the double closes
  private boolean secure;
  private String tlsProtocol = "";
  private String tlsCipherSuite = "";
  private String authenticatedUser;
  private AuthMechanism authMechanism;

  /**
   * A session for an accepted connection.
   *
   * @param socket the connection
   * @param context the double
   * @param number the session's number
   * @param overLimit true when the session limit was reached: the session only answers 421
   */
  public Session(Socket socket, SessionContext context, int number, boolean overLimit) {
    this.socket = socket;
    this.context = context;
    this.number = number;
    this.overLimit = overLimit;
    this.settings = context.settings();
    this.replies = context.replies();
    this.rules = context.rules();
    this.limits = context.limits();
    this.offered = settings.extensions();
    this.tls = settings.tls();
    this.tlsSupport = context.tls();
  }

  @Override
  public void run() {
    Ending ending = Ending.CONNECTION_LOST;
    try {
      log = context.openLog(number, (InetSocketAddress) socket.getRemoteSocketAddress());
      openStreams();
      ending = converse();
    } catch (SessionEnd end) {
      ending = end.ending;
    } catch (SocketTimeoutException e) {
      ending = Ending.IDLE_TIMEOUT;
      timedOut();
    } catch (IOException e) {
      ending =
          writeTimedOut
              ? Ending.WRITE_TIMEOUT
              : context.closing() ? Ending.DOUBLE_CLOSED : Ending.CONNECTION_LOST;
      if (log != null && ending == Ending.CONNECTION_LOST) {
        log.event("connection lost: " + e.getMessage());
      }
    } catch (RuntimeException e) {
      // never let a bug in the double kill the thread silently; the transcript says what happened
      ending = context.closing() ? Ending.DOUBLE_CLOSED : Ending.CONNECTION_LOST;
      if (log != null) {
        log.event("internal error in smtp-double: " + e);
      }
    } finally {
      limits.ended(this);
      closeQuietly();
      if (log != null) {
        log.end(ending);
      }
    }
  }

  private void openStreams() throws IOException {
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    output = new SmtpOutput(out, settings.idleTimeout().toNanos());
    input = new SmtpInput(socket, in, output);
  }

  /**
   * The watchdog's check: a reply blocked longer than the idle timeout means the client stopped
   * reading; the connection is closed so the session's thread is freed.
   */
  @Override
  public void checkStuck(long now) {
    SmtpOutput out = output;
    if (out != null && out.stuck(now) && !writeTimedOut) {
      writeTimedOut = true;
      log.event("write timeout: the client stopped reading the replies; closing");
      try {
        socket.close();
      } catch (IOException e) {
        // closed anyway
      }
    }
  }

  /**
   * The double is closing: the client hears {@code 421 4.3.2 ... shutting down} (RFC 5321 §3.8)
   * before the server closes the connection, whatever the session was doing; a message whose data
   * was still arriving is not recorded.
   */
  @Override
  public void shuttingDown() {
    SmtpOutput out = output; // null during a TLS handshake: nothing can be said in clear then
    SessionLog sessionLog = log;
    if (out == null || sessionLog == null || sessionLog.ended() || stalled) {
      return;
    }
    EncodedReply reply = replies.shuttingDown;
    try {
      if (out.sendLast(reply.wire())) {
        sessionLog.server(reply.wire(), reply.lineStart(0), reply.lineLength(0));
      }
    } catch (IOException e) {
      // the client is gone already
    }
  }

  private Ending converse() throws IOException {
    if (overLimit) {
      send(replies.tooManySessions);
      output.flush();
      log.event("session limit of " + settings.maxSessions() + " reached");
      closeNow();
      return Ending.SESSION_LIMIT;
    }
    greet();
    while (true) {
      // the session ends before the last reply leaves: a client that has read it and resets the
      // double at once must find the session over
      if (closeAfterReply) {
        log.end(Ending.CLOSED_AFTER_421);
        closeNow();
        return Ending.CLOSED_AFTER_421;
      }
      if (quit) {
        log.end(Ending.QUIT);
        closeOrderly();
        return Ending.QUIT;
      }
      boolean more = input.readLine(line, MAX_STORED_LINE, deadline(settings.idleTimeout()));
      if (!more) {
        if (line.length > 0) {
          logCommand(decode(line.bytes, line.length));
          log.event("connection closed in the middle of a command line");
        }
        violation(
            Violation.Kind.CLOSED_WITHOUT_QUIT, log.lineCount(), "", "the connection was closed");
        return Ending.CLIENT_CLOSED;
      }
      aheadNoted = aheadNoted && input.hasBuffered();
      command();
    }
  }

  // ------------------------------------------------------------------ greeting and commands

  private void greet() throws IOException {
    InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    String ip = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    verb = "CONNECT";
    RuleBook.Decision decision = rules.match("CONNECT", ip);
    if (tls != null && tls.mode() == Tls.Mode.IMPLICIT) {
      startTls(hasTlsFail(decision.to()) || hasTlsFail(decision.after()));
    }
    boolean positive = answerTo(decision, replies.greeting);
    refusedAtGreeting = !positive;
    after(decision);
  }

  private void command() throws IOException {
    String previous = verb;
    String text = decode(line.bytes, line.length);
    logCommand(text);
    commandLine = log.lineCount();
    if (line.bareLf) {
      violation(Violation.Kind.BARE_LF, commandLine, shownLine, "the command line ended with LF alone");
    }
    if (line.bareCr) {
      violation(Violation.Kind.BARE_CR, commandLine, shownLine, "a CR inside the command line");
    }
    int space = text.indexOf(' ');
    verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    String argument = space < 0 ? "" : text.substring(space + 1).strip();
    // most lines are short: the extended limits of MAIL, RCPT and AUTH only matter past 512
    long limit = line.octets > COMMAND_LIMIT ? lineLimit(verb, argument) : COMMAND_LIMIT;
    if (line.overflow || line.octets > limit) {
      violation(
          Violation.Kind.COMMAND_LINE_TOO_LONG,
          commandLine,
          shownLine,
          "the line had " + line.octets + " octets with its line end; the limit is " + limit);
      send(replies.lineTooLong);
      return;
    }
    if (text.isBlank()) {
      send(replies.badSyntax);
      return;
    }
    if (settings.strict()) {
      EncodedReply refusal = strictRefusal(previous);
      if (refusal != null) {
        exchange(argument, refusal, null);
        return;
      }
    }
    if (refusedAtGreeting && !verb.equals("QUIT")) {
      // RFC 5321 §3.1: after a 554 greeting the server answers 503 to all but QUIT
      exchange(argument, replies.noService, null);
      return;
    }
    switch (verb) {
      case "HELO" -> hello(argument, false);
      case "EHLO" -> hello(argument, true);
      case "MAIL" -> mail(argument);
      case "RCPT" -> rcpt(argument);
      case "DATA" -> data(argument);
      case "BDAT" -> bdat(argument);
      case "RSET" ->
          exchange(
              argument,
              argument.isEmpty() ? replies.ok : replies.noArguments,
              () -> transaction = null);
      case "NOOP" -> exchange(argument, replies.ok, null);
      case "VRFY" -> exchange(argument, argument.isEmpty() ? replies.vrfySyntax : replies.vrfy, null);
      case "EXPN" -> exchange(argument, replies.expn, null);
      case "HELP" -> exchange(argument, replies.help, null);
      case "QUIT" ->
          exchange(argument, argument.isEmpty() ? replies.bye : replies.noArguments, () -> quit = true);
      case "AUTH" -> auth(argument);
      case "STARTTLS" -> starttls(argument);
      case "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML" ->
          exchange(argument, replies.notImplemented, null);
      default -> exchange(argument, replies.unknownCommand, null);
    }
  }

  /**
   * Whether the current command was pipelined, as PIPELINING allows, before the client could see
   * the reply that refused the MAIL or RCPT before it: then a 503 to it is no fault of the client's
   * (RFC 2920 §3.1 has clients send the whole group and sort the replies out afterwards).
   */
  private boolean sentBlind() {
    return line.ahead && advertised.contains("PIPELINING");
  }

  /**
   * In strict mode, the refusal a strict server gives a command line that breaks the rules: a
   * bare CR or LF, or a command sent before the reply to the previous one where pipelining is not
   * allowed. Null when the line is fine.
   */
  private EncodedReply strictRefusal(String previous) {
    if (line.bareLf) {
      return replies.bareLf;
    }
    if (line.bareCr) {
      return replies.bareCr;
    }
    boolean allowed = advertised.contains("PIPELINING") && !GROUP_ENDERS.contains(previous);
    if (line.ahead && !allowed) {
      return replies.reply(554, "5.5.0", "Error: improper command pipelining after " + previous);
    }
    return null;
  }

  private void hello(String argument, boolean extended) throws IOException {
    if (argument.isEmpty()) {
      exchange(argument, extended ? replies.ehloSyntax : replies.heloSyntax, null);
      return;
    }
    String name = argument.split(" ", 2)[0];
    exchange(
        argument,
        extended ? replies.ehlo(secure) : replies.helo,
        () -> {
          heloName = name;
          greeted = true;
          transaction = null;
          advertised = extended ? keywords(answered) : Set.of();
        });
  }

  private void mail(String argument) throws IOException {
    PathArgument path = PathArgument.parse(argument, "FROM");
    String subject = path.ok() ? path.address : argument;
    String notOffered = parameterNotOffered(path);
    EncodedReply normal;
    if (tls != null && tls.isRequired() && !secure) {
      normal = replies.tlsRequired;
    } else if (settings.requireAuth() && authenticatedUser == null) {
      normal = replies.authRequired;
    } else if (settings.strict() && !greeted) {
      normal = replies.needHelo;
    } else if (!path.ok()) {
      normal = replies.mailSyntax;
    } else if (settings.strict() && (path.spaced || !path.bracketed)) {
      normal = replies.badSenderSyntax;
    } else if (settings.strict() && path.nonAscii && !path.parameters.containsKey("SMTPUTF8")) {
      normal = replies.nonAsciiNeedsSmtpUtf8;
    } else if (transaction != null) {
      normal = replies.nestedMail;
    } else {
      normal = mailParameterProblem(path.parameters);
      if (normal == null) {
        normal = unlessNotOffered(notOffered, replies.mailOk);
        if (normal == replies.mailOk) {
          normal = limits.atMail(this, user(), subject, replies.mailOk);
        }
      }
    }
    if (!greeted) {
      violation(Violation.Kind.MAIL_BEFORE_HELO, commandLine, argument, "");
    }
    notePathForm(path);
    if (path.nonAscii && !path.parameters.containsKey("SMTPUTF8")) {
      violation(Violation.Kind.NON_ASCII_WITHOUT_SMTPUTF8, commandLine, argument, "");
    }
    Map<String, String> parameters = path.parameters;
    exchange(subject, normal, () -> transaction = new Transaction(sender(subject), parameters));
  }

  private void rcpt(String argument) throws IOException {
    PathArgument path = PathArgument.parse(argument, "TO");
    String subject = path.ok() ? path.address : argument;
    String notOffered = parameterNotOffered(path);
    EncodedReply normal;
    if (transaction == null) {
      normal = replies.needMail;
      if (!sentBlind()) {
        violation(Violation.Kind.RCPT_WITHOUT_MAIL, commandLine, argument, "");
      }
    } else if (!path.ok()) {
      normal = replies.rcptSyntax;
    } else if (path.address.isEmpty()) {
      normal = replies.nullRecipient;
    } else if (settings.strict() && (path.spaced || !path.bracketed)) {
      normal = replies.badRecipientSyntax;
    } else if (settings.strict() && path.nonAscii && !transaction.declared("SMTPUTF8")) {
      normal = replies.nonAsciiNeedsSmtpUtf8;
    } else if (transaction.recipients.size() >= settings.maxRecipients()) {
      normal = replies.tooManyRecipients;
    } else {
      normal = rcptParameterProblem(path.parameters);
      if (normal == null) {
        normal = unlessNotOffered(notOffered, replies.rcptOk);
        if (normal == replies.rcptOk) {
          normal =
              limits.atRcpt(this, user(), subject, transaction.recipients.size(), replies.rcptOk);
        }
      }
    }
    notePathForm(path);
    if (path.nonAscii && (transaction == null || !transaction.declared("SMTPUTF8"))) {
      violation(Violation.Kind.NON_ASCII_WITHOUT_SMTPUTF8, commandLine, argument, "");
    }
    Map<String, String> parameters = path.parameters;
    exchange(
        subject,
        normal,
        () -> {
          if (transaction == null) {
            transaction = new Transaction("", Map.of());
          }
          transaction.recipients.add(subject);
          transaction.recipientParameters.add(parameters);
        });
  }

  /**
   * Notes what RFC 5321 forbids in a MAIL or RCPT path but real servers let pass, as Postfix does
   * unless {@code strict_rfc821_envelopes} is set: a space around the colon, no angle brackets.
   */
  private void notePathForm(PathArgument path) {
    if (!path.ok()) {
      return;
    }
    if (path.spaced) {
      violation(Violation.Kind.SPACE_AROUND_COLON, commandLine, shownLine, "");
    }
    if (!path.bracketed) {
      violation(Violation.Kind.PATH_WITHOUT_BRACKETS, commandLine, shownLine, "");
    }
  }

  /**
   * Notes the first parameter of an extension this session was not offered (after HELO, or an
   * EHLO reply without it), which strict mode refuses with 555; returns its keyword, or null.
   */
  private String parameterNotOffered(PathArgument path) {
    if (!path.ok()) {
      return null;
    }
    for (Map.Entry<String, String> parameter : path.parameters.entrySet()) {
      String key = parameter.getKey();
      String value = parameter.getValue().toUpperCase(Locale.ROOT);
      String needs =
          switch (key) {
            case "SIZE", "SMTPUTF8", "AUTH" -> key;
            case "RET", "ENVID", "NOTIFY", "ORCPT" -> "DSN";
            case "BODY" -> value.equals("BINARYMIME") ? "BINARYMIME" : "8BITMIME";
            default -> null; // unknown ones are refused already
          };
      boolean told =
          needs == null
              || advertised.contains(needs)
              || (key.equals("BODY") && value.equals("7BIT") && advertised.contains("BINARYMIME"));
      if (!told) {
        String shown = key + (value.isEmpty() ? "" : "=" + parameter.getValue());
        violation(
            Violation.Kind.PARAMETER_NOT_OFFERED,
            commandLine,
            shownLine,
            shown + ": the session was not offered " + needs);
        return key;
      }
    }
    return null;
  }

  /** The reply to a MAIL or RCPT whose parameters are fine: strict mode refuses one not offered. */
  private EncodedReply unlessNotOffered(String notOffered, EncodedReply accept) {
    return settings.strict() && notOffered != null
        ? replies.unsupportedParameter(notOffered)
        : accept;
  }

  private void data(String argument) throws IOException {
    EncodedReply normal;
    if (!argument.isEmpty()) {
      normal = replies.noArguments;
    } else if (transaction == null) {
      normal = replies.needMail;
    } else if (transaction.recipients.isEmpty()) {
      normal = replies.needRcpt;
    } else if (!transaction.chunks.isEmpty()) {
      // RFC 3030 §2: DATA after BDAT in the same transaction MUST get 503
      normal = replies.dataAfterBdat;
    } else if (transaction.body().equalsIgnoreCase("BINARYMIME")) {
      normal = replies.binaryMimeNeedsBdat;
    } else {
      normal = replies.startData;
    }
    if (argument.isEmpty()
        && (transaction == null || transaction.recipients.isEmpty())
        && !sentBlind()) {
      violation(Violation.Kind.DATA_WITHOUT_RECIPIENT, commandLine, "DATA", "");
    }
    RuleBook.Decision decision = rules.match("DATA", argument);
    Rule to = decision.to();
    Rule after = decision.after();
    List<Action> commandActions = null;
    List<Action> endActions = null;
    Runnable endActed = null;
    if (to != null) {
      decision.toActed();
      commandActions = cut(to.actions(), false);
      Action.Respond pair = pair(to.actions());
      if (pair != null) {
        endActions = List.of(pair.then().get());
        if (after != null) {
          // B answers the end of the data, then the after rule acts (a disconnect, say)
          endActions = new ArrayList<>(endActions);
          endActions.addAll(cut(after.actions(), true));
          endActed = decision::afterActed;
        }
      } else if (after != null) {
        endActions = cut(after.actions(), true);
        endActed = decision::afterActed;
      }
    } else if (after != null) {
      Action.Respond pair = pair(after.actions());
      if (pair != null) {
        commandActions = List.of(firstOf(pair));
        decision.afterActed();
      }
      endActions = cut(after.actions(), true);
      endActed = decision::afterActed;
    }
    bodyBefore354 = false;
    if (answer(commandActions, normal)) {
      receiveData(endActions, endActed);
    }
  }

  private void receiveData(List<Action> endActions, Runnable endActed) throws IOException {
    boolean early = bodyBefore354;
    bodyBefore354 = false;
    if (transaction == null) {
      transaction = new Transaction("", Map.of());
    }
    body.reset();
    long storeLimit = captureLimit();
    int firstLine = log.lineCount() + 1;
    try {
      input.readData(body, storeLimit, deadline(settings.dataTimeout()), dataResult);
    } catch (IOException | RuntimeException e) {
      partialData();
      throw e;
    }
    if (!dataResult.complete) {
      partialData();
      violation(
          Violation.Kind.CLOSED_WITHOUT_QUIT,
          log.lineCount(),
          "",
          "the connection was closed in the middle of the message data");
      throw new SessionEnd(Ending.CLIENT_CLOSED);
    }
    MessageData data = body.detach();
    log.data(DataRecord.complete(data, dataResult.unstuffedDots(), dataResult.lines));
    EncodedReply strictRefusal = dataViolations(data, firstLine, early);
    boolean truncated = dataResult.octets > storeLimit;
    if (truncated) {
      log.event(
          "message too large to keep: "
              + dataResult.octets
              + " octets received, the first "
              + storeLimit
              + " kept");
    }
    if (endActed != null) {
      endActed.run();
    }
    EncodedReply normal = dataResult.octets > sizeLimit() ? replies.sizeExceeded : replies.queued;
    if (settings.strict() && strictRefusal != null && normal == replies.queued) {
      normal = strictRefusal;
    }
    if (normal == replies.queued) {
      normal = limits.atEndOfData(this, user(), transaction.from, transaction.recipients, normal);
    }
    finishMessage(data, false, truncated, endActions, normal);
  }

  private void partialData() {
    if (dataResult.octets > 0 || body.size() > 0) {
      log.data(DataRecord.data(body.detach(), dataResult.unstuffedDots(), false));
    }
    log.event(
        "message data incomplete: "
            + dataResult.octets
            + " octets before the connection ended; no message recorded");
  }

  private void bdat(String argument) throws IOException {
    String[] words = argument.isEmpty() ? new String[0] : argument.split(" +");
    boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
    if (words.length < 1
        || words.length > 2
        || (words.length == 2 && !last)
        || !DIGITS.matcher(words[0]).matches()) {
      exchange(argument, replies.bdatSyntax, null);
      return;
    }
    long size = Long.parseLong(words[0]);
    // BDAT in a session not offered CHUNKING (after HELO): noted once a transaction; strict refuses
    boolean told = advertised.contains("CHUNKING");
    if (!told && (transaction == null || transaction.chunks.isEmpty())) {
      violation(
          Violation.Kind.BDAT_NOT_OFFERED,
          commandLine,
          shownLine,
          "the session was not offered CHUNKING");
    }
    boolean refused = settings.strict() && !told;
    boolean usable =
        offered.contains(Extension.CHUNKING)
            && !refused
            && transaction != null
            && !transaction.recipients.isEmpty();
    long storeLimit = captureLimit();
    long room = usable ? Math.max(0, storeLimit - transaction.storedChunkOctets) : 0;
    body.reset();
    boolean whole = input.readChunk(size, body, room, deadline(settings.dataTimeout()));
    MessageData chunk = body.detach();
    log.data(DataRecord.chunk(chunk));
    if (!whole) {
      log.event("BDAT chunk incomplete: the connection ended; no message recorded");
      violation(
          Violation.Kind.CLOSED_WITHOUT_QUIT,
          log.lineCount(),
          "",
          "the connection was closed in the middle of a BDAT chunk");
      throw new SessionEnd(Ending.CLIENT_CLOSED);
    }
    EncodedReply normal;
    if (!offered.contains(Extension.CHUNKING)) {
      normal = replies.chunkingNotOffered;
    } else if (refused) {
      normal = replies.chunkingNotAdvertised;
    } else if (transaction == null) {
      normal = replies.needMail;
    } else if (transaction.recipients.isEmpty()) {
      normal = replies.needRcpt;
      if (!sentBlind()) {
        violation(Violation.Kind.DATA_WITHOUT_RECIPIENT, commandLine, "BDAT " + argument, "");
      }
    } else {
      transaction.chunks.add(chunk);
      transaction.chunkOctets += size;
      transaction.storedChunkOctets += chunk.length();
      boolean tooBig = transaction.chunkOctets > sizeLimit();
      normal =
          !last ? replies.chunkReceived(size) : tooBig ? replies.sizeExceeded : replies.queued;
      if (normal == replies.queued) {
        normal = limits.atEndOfData(this, user(), transaction.from, transaction.recipients, normal);
      }
    }
    // reply A then B: A answers each chunk but the last, B the LAST chunk; in an after rule the
    // pair answers the chunk too (as after DATA does), and the rule's other actions act after
    RuleBook.Decision decision = rules.match("BDAT", argument);
    List<Action> actions = null;
    List<Action> afterActions = decision.after() == null ? null : decision.after().actions();
    Action.Respond afterPair = afterActions == null ? null : pair(afterActions);
    if (decision.to() != null) {
      decision.toActed();
      actions = cut(decision.to().actions(), last);
    } else if (afterPair != null) {
      decision.afterActed();
      actions = List.of(last ? afterPair.then().get() : firstOf(afterPair));
      afterActions = afterActions.stream().filter(a -> a != afterPair).toList();
    }
    if (last && usable) {
      finishMessage(
          joinChunks(transaction), true, transaction.chunkOctets > storeLimit, actions, normal);
    } else {
      answer(actions, normal);
      if (usable && answered != null && !answered.isPositive() && transaction != null) {
        // a refused chunk is not part of the message (RFC 3030 §2)
        transaction.chunks.remove(transaction.chunks.size() - 1);
        transaction.chunkOctets -= size;
        transaction.storedChunkOctets -= chunk.length();
        log.event("chunk refused: its " + size + " octets are not part of the message");
      }
    }
    if (afterActions != null && !afterActions.isEmpty() && !closeAfterReply) {
      decision.afterActed();
      perform(afterActions);
    }
  }

  /** The size limit the double enforces with 552; unlimited when 0. */
  private long sizeLimit() {
    return settings.sizeLimit() > 0 ? settings.sizeLimit() : Long.MAX_VALUE;
  }

  /**
   * How much of a message the double keeps: all of it up to the size limit plus the larger of the
   * limit and 16 MiB, so that an oversized message (answered 552) is usually still recorded
   * whole; beyond that the rest is counted and dropped.
   */
  private long captureLimit() {
    long limit = settings.sizeLimit();
    return limit <= 0 ? Long.MAX_VALUE : limit + Math.max(limit, 16L * 1024 * 1024);
  }

  private static MessageData joinChunks(Transaction transaction) {
    return MessageData.concat(transaction.chunks);
  }

  // ------------------------------------------------------------------ TLS and AUTH

  /**
   * Logs a command line, with the secret of an AUTH command masked unless asked otherwise; the
   * line as logged is what violations quote.
   */
  private void logCommand(String text) {
    if (!settings.showSecrets() && text.regionMatches(true, 0, "AUTH ", 0, 5)) {
      String[] words = text.split(" ", 3);
      String masked = words.length < 3 ? text : words[0] + " " + words[1] + " ****";
      byte[] bytes = masked.getBytes(StandardCharsets.UTF_8);
      log.client(bytes, 0, bytes.length);
      shownLine = masked;
    } else {
      log.client(line.bytes, 0, line.length);
      shownLine = text;
    }
  }

  private void starttls(String argument) throws IOException {
    EncodedReply normal;
    if (tls == null) {
      normal = replies.notImplemented;
    } else if (secure) {
      normal = replies.tlsActive;
    } else if (!argument.isEmpty()) {
      normal = replies.noArguments;
    } else {
      normal = replies.tlsReady;
    }
    RuleBook.Decision decision = rules.match(verb, argument);
    boolean fail = hasTlsFail(decision.to()) || hasTlsFail(decision.after());
    boolean positive = answerTo(decision, normal);
    if (positive && tlsSupport != null && !secure) {
      startTls(fail);
      // RFC 3207 §4.2: forget everything learnt before the handshake; the client says EHLO again
      heloName = "";
      greeted = false;
      transaction = null;
      advertised = Set.of();
      authenticatedUser = null;
      limits.ended(this);
      authMechanism = null;
    }
    after(decision);
  }

  private static boolean hasTlsFail(Rule rule) {
    if (rule != null) {
      for (Action action : rule.actions()) {
        if (action instanceof Action.TlsFail) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Turns the connection into TLS (after a 220 to STARTTLS, or at once for implicit TLS), or, when
   * a rule says so, fails the handshake with a fatal alert.
   */
  private void startTls(boolean fail) throws IOException {
    output.flush();
    if (input.hasBuffered()) {
      // RFC 3207 §5: plaintext sent after STARTTLS must be thrown away (command injection)
      violation(
          Violation.Kind.PLAINTEXT_AFTER_STARTTLS,
          commandLine,
          decode(line.bytes, line.length),
          "the double discarded " + input.discardBuffered() + " octets sent before the handshake");
    }
    if (fail) {
      failHandshake();
    }
    output = null; // until the handshake is done, the double has nothing to say in clear
    SSLSocket ssl =
        (SSLSocket)
            tlsSupport
                .serverContext()
                .getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    ssl.setUseClientMode(false);
    int timeout = (int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis());
    ssl.setSoTimeout(timeout);
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      log.event("TLS handshake failed: " + e.getMessage());
      throw new SessionEnd(Ending.TLS_FAILED);
    }
    socket = ssl;
    secure = true;
    SSLSession session = ssl.getSession();
    tlsProtocol = session.getProtocol();
    tlsCipherSuite = session.getCipherSuite();
    log.event("TLS started: " + tlsProtocol + " " + tlsCipherSuite);
    openStreams();
  }

  /** Waits for the client's hello, answers with a fatal handshake_failure alert and closes. */
  private void failHandshake() throws IOException {
    log.event("TLS handshake failed by script: handshake_failure alert sent");
    try {
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      byte[] hello = new byte[512];
      if (in.read(hello) > 0) {
        socket.getOutputStream().write(HANDSHAKE_FAILURE_ALERT);
        socket.getOutputStream().flush();
      }
    } catch (SocketTimeoutException e) {
      // the client never started the handshake; close all the same
    }
    closeOrderly();
    throw new SessionEnd(Ending.TLS_FAILED);
  }

  private void auth(String argument) throws IOException {
    String[] words = argument.isEmpty() ? new String[0] : argument.split(" +", 2);
    AuthMechanism mechanism =
        words.length == 0 || !settings.authEnabled()
            ? null
            : AuthMechanism.fromKeyword(words[0])
                .filter(settings.authMechanisms()::contains)
                .orElse(null);
    String initial = words.length == 2 ? words[1] : null;
    EncodedReply refusal = null;
    if (!settings.authEnabled()) {
      refusal = replies.authNotEnabled;
    } else if (words.length == 0) {
      refusal = replies.authSyntax;
    } else if (tls != null && tls.isRequired() && !secure) {
      refusal = replies.tlsRequired;
    } else if (authenticatedUser != null) {
      refusal = replies.authAlready;
    } else if (transaction != null) {
      refusal = replies.authInTransaction;
    } else if (mechanism == null) {
      refusal = replies.authUnknownMechanism;
    } else if (mechanism == AuthMechanism.CRAM_MD5 && initial != null) {
      // RFC 4954 §4: the server speaks first in CRAM-MD5, so an initial response MUST get 501
      refusal = replies.cramMd5InitialResponse;
    } else if (mechanism.plaintext() && !secure && (settings.plaintextAuthNeedsTls() || settings.strict())) {
      refusal = replies.authNeedsTls;
    }
    if (mechanism != null && mechanism.plaintext() && !secure) {
      violation(
          Violation.Kind.PLAINTEXT_AUTH_WITHOUT_TLS,
          commandLine,
          "AUTH " + mechanism.keyword(),
          "the secret crossed the wire unencrypted");
    }
    RuleBook.Decision decision = rules.match(verb, argument);
    Sasl.Exchange exchange =
        refusal != null ? null : Sasl.exchange(mechanism, settings.users(), settings.hostname());
    Sasl.Step step = exchange == null ? null : exchange.start(initial);
    answerTo(decision, refusal != null ? refusal : stepReply(step));
    Reply sent = answered;
    if (decision.to() != null && sent != null && sent.code() == 235) {
      // a scripted success authenticates whoever the client claimed to be
      step = new Sasl.Success(claimedUser(mechanism, initial));
    }
    // a 334 (scripted or not) asks for a SASL response: the next line is a secret, logged masked;
    // without an exchange under way (a scripted 334) nothing can verify it, so it fails
    while (sent != null && sent.code() == 334 && !closeAfterReply) {
      String response = readSaslLine();
      if (response.equals("*")) {
        send(replies.authAborted);
        step = null;
        break;
      }
      step = exchange == null ? new Sasl.Failure(false, "") : exchange.respond(response);
      EncodedReply next = stepReply(step);
      send(next);
      sent = next.reply();
    }
    if (step instanceof Sasl.Success success && sent != null && sent.code() == 235) {
      authenticatedUser = success.user();
      authMechanism = mechanism;
      limits.authenticated(this, authenticatedUser);
      log.event("authenticated as " + success.user() + " with " + mechanism.keyword());
    }
    after(decision);
  }

  /** The user the limits count against: the authenticated one, or everyone alike. */
  private String user() {
    return authenticatedUser == null ? "" : authenticatedUser;
  }

  private EncodedReply stepReply(Sasl.Step step) {
    if (step instanceof Sasl.Challenge challenge) {
      return EncodedReply.of(334, challenge.text());
    }
    if (step instanceof Sasl.Success) {
      return replies.authOk;
    }
    return ((Sasl.Failure) step).undecodable() ? replies.authUndecodable : replies.authFailed;
  }

  /** The user an initial response names, for a scripted 235; empty when it names none. */
  private static String claimedUser(AuthMechanism mechanism, String initial) {
    if (mechanism == null || initial == null) {
      return "";
    }
    String text = Sasl.decode(initial);
    if (text == null) {
      return "";
    }
    return switch (mechanism) {
      case PLAIN -> {
        String[] parts = text.split("\0", -1);
        yield parts.length == 3 ? parts[1] : "";
      }
      case LOGIN -> text;
      case XOAUTH2 -> text.startsWith("user=") ? text.substring(5).split("\u0001", 2)[0] : "";
      case CRAM_MD5 -> "";
    };
  }

  /** One SASL response line, logged masked. */
  private String readSaslLine() throws IOException {
    if (!input.readLine(line, MAX_STORED_LINE, deadline(settings.idleTimeout()))) {
      log.event("connection closed during AUTH");
      throw new SessionEnd(Ending.CLIENT_CLOSED);
    }
    String text = decode(line.bytes, line.length);
    if (settings.showSecrets() || text.equals("*") || text.isEmpty()) {
      log.client(line.bytes, 0, line.length);
      shownLine = text;
    } else {
      byte[] masked = "****".getBytes(StandardCharsets.US_ASCII);
      log.client(masked, 0, masked.length);
      shownLine = "****";
    }
    commandLine = log.lineCount();
    return text;
  }

  // ------------------------------------------------------------------ messages

  /** The parts of a message waiting for its end-of-data reply to be sent. */
  private record PendingMessage(
      Transaction transaction,
      MessageData data,
      boolean chunked,
      boolean truncated,
      long receivedAt) {}

  private void finishMessage(
      MessageData data,
      boolean chunked,
      boolean truncated,
      List<Action> endActions,
      EncodedReply normal)
      throws IOException {
    if (transaction.declared("SIZE")) {
      long declared = parseLong(transaction.mailParameters.get("SIZE"));
      long octets = chunked ? transaction.chunkOctets : dataResult.octets;
      if (declared >= 0 && octets > declared) {
        violation(
            Violation.Kind.LARGER_THAN_DECLARED_SIZE,
            log.lineCount(),
            "",
            "declared SIZE=" + declared + " but sent " + octets + " octets");
        if (settings.strict() && normal == replies.queued) {
          normal = replies.largerThanDeclared;
        }
      }
    }
    if (settings.checkHeaders()) {
      List<String> missing = missingHeaders(data);
      if (!missing.isEmpty()) {
        violation(
            Violation.Kind.MISSING_HEADER,
            log.lineCount(),
            "",
            "the message has no " + String.join(", no ", missing) + " header");
        if (settings.strict() && normal == replies.queued) {
          normal =
              replies.reply(
                  554, "5.6.0", "Message rejected: no " + String.join(", no ", missing) + " header");
        }
      }
    }
    transactions++;
    // the reply now answers the message content, not DATA or BDAT: commands may follow it in the
    // same write when PIPELINING was offered (RFC 2920 §3.1)
    verb = END_OF_DATA;
    pending = new PendingMessage(transaction, data, chunked, truncated, System.currentTimeMillis());
    transaction = null;
    // record first, then reply: the first reply sent (send, sendRaw) or the fault that replaces
    // it publishes the message before a byte of the reply can reach the client
    answer(endActions, normal);
    publishPending(answered);
  }

  /**
   * Makes the message waiting for its end-of-data reply visible to the test, with that reply
   * (null when a fault replaced it); does nothing when no message is waiting. Called before the
   * reply is written, so a client that has read the reply finds the message recorded.
   */
  private void publishPending(Reply reply) {
    PendingMessage message = pending;
    if (message == null) {
      return;
    }
    pending = null;
    Transaction t = message.transaction;
    String from = t.from;
    List<String> recipients = List.copyOf(t.recipients);
    if (recipients.equals(lastRecipients)) {
      recipients = lastRecipients;
    }
    lastRecipients = recipients;
    List<Map<String, String>> recipientParameters = List.copyOf(t.recipientParameters);
    context.messageReceived(
        new CapturedMessage(
            from,
            recipients,
            recipientParameters,
            t.mailParameters,
            message.data,
            reply,
            number,
            transactions,
            heloName,
            message.chunked,
            message.truncated,
            message.receivedAt,
            authenticatedUser,
            authMechanism == null ? "" : authMechanism.keyword(),
            tlsProtocol,
            tlsCipherSuite));
  }

  private String sender(String address) {
    if (address.equals(lastFrom)) {
      return lastFrom;
    }
    lastFrom = address;
    return address;
  }

  // ------------------------------------------------------------------ rules and replies

  /**
   * Answers the current command: the rule's actions when a rule acts, else the normal reply; a
   * positive reply applies the command's state change; then the {@code after} rule acts.
   */
  private boolean exchange(String subject, EncodedReply normal, Runnable onAccept)
      throws IOException {
    RuleBook.Decision decision = rules.match(verb, subject);
    boolean positive = answerTo(decision, normal);
    if (positive && onAccept != null) {
      onAccept.run();
    }
    after(decision);
    return positive;
  }

  /** Answers with the decision's {@code to} rule, or the normal reply when there is none. */
  private boolean answerTo(RuleBook.Decision decision, EncodedReply normal) throws IOException {
    if (decision.to() != null) {
      decision.toActed();
    }
    return answer(actions(decision.to()), normal);
  }

  /** Carries out the decision's {@code after} rule, unless the connection is closing. */
  private void after(RuleBook.Decision decision) throws IOException {
    if (decision.after() != null && !closeAfterReply) {
      decision.afterActed();
      perform(decision.after().actions());
    }
  }

  private static List<Action> actions(Rule rule) {
    return rule == null ? null : rule.actions();
  }

  /**
   * Carries out a {@code to} rule's actions, or sends the normal reply when there are none (or
   * only delays). Returns whether what was sent is positive; {@link #answered} holds the first
   * reply sent, or null when a raw send was not a reply.
   */
  private boolean answer(List<Action> actions, EncodedReply normal) throws IOException {
    answered = null;
    Sent first = actions == null ? null : carryOut(actions, true);
    if (first != null) {
      return first.positive();
    }
    if (actions != null && closeAfterReply) {
      return false;
    }
    send(normal);
    answered = normal.reply();
    return normal.positive();
  }

  /** Carries out an {@code after} rule's actions: replies are extra, unsolicited ones. */
  private void perform(List<Action> actions) throws IOException {
    carryOut(actions, false);
  }

  /** What an action list sent first: the reply (null for raw bytes that are none) and its class. */
  private record Sent(Reply reply, boolean positive) {}

  /**
   * Carries out actions in order until the connection is to close. When {@code answering}, the
   * first reply sent is the answer, in {@link #answered} at once (sending it publishes a message
   * waiting for its end-of-data reply). When raw bytes went out first, the answer is what all the
   * bytes sent so far spell together: {@code send "22", delay 50ms, send "0 ok\r\n"} is a 220.
   *
   * @return what was sent first, or null when nothing was
   */
  private Sent carryOut(List<Action> actions, boolean answering) throws IOException {
    Sent first = null;
    ByteArrayOutputStream sentRaw = null; // everything sent, when a raw send came first
    for (Action action : actions) {
      if (closeAfterReply) {
        break;
      }
      byte[] sent = null;
      Sent reply = null;
      if (action instanceof Action.Delay delay) {
        delay(delay.duration());
      } else if (action instanceof Action.Respond respond) {
        EncodedReply encoded = replies.scripted(respond.code(), respond.texts());
        send(encoded);
        sent = encoded.wire();
        reply = new Sent(encoded.reply(), encoded.positive());
      } else if (action instanceof Action.Send raw) {
        sent = raw.bytes();
        sendRaw(sent, RawReplies.parse(sent)); // a waiting message is published with the first bytes
        if (first == null) {
          sentRaw = new ByteArrayOutputStream();
        }
      } else if (!(action instanceof Action.TlsFail)) {
        fault(action); // tls-fail is carried out by STARTTLS and implicit TLS themselves
      }
      if (sent == null) {
        continue;
      }
      if (sentRaw != null) {
        sentRaw.writeBytes(sent);
        byte[] all = sentRaw.toByteArray();
        reply = new Sent(RawReplies.parse(all), RawReplies.positive(all));
      } else if (first != null) {
        continue;
      }
      first = reply;
      if (answering) {
        answered = reply.reply();
      }
    }
    return first;
  }

  private void fault(Action action) throws IOException {
    publishPending(null); // a fault replaced the reply: the message is recorded with none
    if (action instanceof Action.Disconnect) {
      log.event("disconnected by script");
      closeNow(); // what was sent and the close reach the client together
      throw new SessionEnd(Ending.SCRIPT_DISCONNECT);
    }
    output.flush();
    if (action instanceof Action.Reset) {
      log.event("reset by script");
      socket.setSoLinger(true, 0);
      socket.close();
      throw new SessionEnd(Ending.SCRIPT_RESET);
    }
    if (action instanceof Action.Stall) {
      log.event("stalled by script: no reply until the client or the double closes");
      stalled = true;
      boolean quitSent;
      try {
        quitSent = logUnanswered();
      } catch (IOException e) {
        throw new SessionEnd(context.closing() ? Ending.DOUBLE_CLOSED : Ending.CONNECTION_LOST);
      }
      // the client's QUIT went unanswered, but it was sent: the ending says so
      throw new SessionEnd(quitSent ? Ending.QUIT : Ending.CLIENT_CLOSED);
    }
    throw new IllegalStateException("unknown action " + action);
  }

  private void delay(Duration duration) throws IOException {
    output.flush();
    log.event("delayed " + duration.toMillis() + " ms by script");
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SessionEnd(Ending.DOUBLE_CLOSED);
    }
  }

  /** Sends a reply: logged, and the message it answers published, before it is written. */
  private void send(EncodedReply reply) throws IOException {
    noteSentAhead();
    byte[] wire = reply.wire();
    for (int i = 0; i < reply.lineCount(); i++) {
      log.server(wire, reply.lineStart(i), reply.lineLength(i));
    }
    publishPending(reply.reply());
    output.write(wire, 0, wire.length);
    if (reply.code() == 421) {
      closeAfterReply = true;
    }
  }

  /**
   * Sends raw bytes: logged, and the message they answer published with the reply they hold (or
   * none), before they are written.
   */
  private void sendRaw(byte[] bytes, Reply reply) throws IOException {
    noteSentAhead();
    int start = 0;
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        log.server(bytes, start, i - start);
        start = i + 2;
        i++;
      }
    }
    if (start < bytes.length) {
      log.server(bytes, start, bytes.length - start);
    }
    publishPending(reply);
    output.write(bytes, 0, bytes.length);
  }

  /** The client sent more before this reply: pipelining, maybe where it is not allowed. */
  private void noteSentAhead() {
    if (!input.hasBuffered() || verb.equals("CONNECT")) {
      return;
    }
    Violation.Kind kind;
    if (verb.equals("DATA")) {
      bodyBefore354 = true;
      kind = Violation.Kind.DATA_BEFORE_354;
    } else if (!advertised.contains("PIPELINING")) {
      kind = Violation.Kind.PIPELINING_NOT_OFFERED;
    } else if (GROUP_ENDERS.contains(verb)) {
      kind = Violation.Kind.PIPELINED_AFTER_GROUP_END;
    } else {
      return; // pipelining as RFC 2920 allows it
    }
    if (aheadNoted) {
      return; // one note per batch is enough
    }
    aheadNoted = true;
    String detail =
        kind == Violation.Kind.DATA_BEFORE_354 ? "" : "more input arrived before the reply to " + verb;
    violation(kind, commandLine, shownLine, detail);
  }

  // ------------------------------------------------------------------ DATA rule plumbing

  /** The {@code reply A then B} among the actions, or null when there is none. */
  private static Action.Respond pair(List<Action> actions) {
    for (Action action : actions) {
      if (action instanceof Action.Respond respond && respond.then().isPresent()) {
        return respond;
      }
    }
    return null;
  }

  /** A of {@code reply A then B}. */
  private static Action.Respond firstOf(Action.Respond pair) {
    return new Action.Respond(pair.code(), pair.texts(), Optional.empty());
  }

  /** The actions with each {@code reply A then B} cut to A, or to B when {@code toThen}. */
  private static List<Action> cut(List<Action> actions, boolean toThen) {
    List<Action> out = new ArrayList<>(actions.size());
    for (Action action : actions) {
      if (action instanceof Action.Respond respond && respond.then().isPresent()) {
        out.add(toThen ? respond.then().get() : firstOf(respond));
      } else {
        out.add(action);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ parameters

  private EncodedReply mailParameterProblem(Map<String, String> parameters) {
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String key = parameter.getKey();
      String value = parameter.getValue();
      String upper = value.toUpperCase(Locale.ROOT);
      switch (key) {
        case "SIZE" -> {
          if (!offered.contains(Extension.SIZE)) {
            return replies.unsupportedParameter(key);
          }
          long declared = parseLong(value);
          if (declared < 0) {
            return replies.badParameterValue("SIZE=" + value);
          }
          if (settings.sizeLimit() > 0 && declared > settings.sizeLimit()) {
            return replies.sizeExceeded;
          }
        }
        case "BODY" -> {
          boolean known =
              switch (upper) {
                case "7BIT" ->
                    offered.contains(Extension.EIGHT_BIT_MIME)
                        || offered.contains(Extension.BINARY_MIME);
                case "8BITMIME" -> offered.contains(Extension.EIGHT_BIT_MIME);
                case "BINARYMIME" ->
                    offered.contains(Extension.BINARY_MIME) && offered.contains(Extension.CHUNKING);
                default -> false;
              };
          if (!known) {
            return BODY_TYPES.matcher(upper).matches()
                ? replies.unsupportedParameter("BODY=" + upper)
                : replies.badParameterValue("BODY=" + value);
          }
        }
        case "SMTPUTF8" -> {
          if (!offered.contains(Extension.SMTPUTF8)) {
            return replies.unsupportedParameter(key);
          }
          if (!value.isEmpty()) {
            return replies.badParameterValue("SMTPUTF8=" + value);
          }
        }
        case "RET" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          if (!upper.equals("FULL") && !upper.equals("HDRS")) {
            return replies.badParameterValue("RET=" + value);
          }
        }
        case "ENVID" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          if (!isXtext(value) || value.length() > 100) {
            return replies.badParameterValue("ENVID=" + value);
          }
        }
        case "AUTH" -> {
          if (!settings.authEnabled()) {
            return replies.unsupportedParameter(key);
          }
          if (!value.equals("<>") && !isXtext(value)) {
            return replies.badParameterValue("AUTH=" + value);
          }
        }
        default -> {
          return replies.unsupportedParameter(key);
        }
      }
    }
    return null;
  }

  private EncodedReply rcptParameterProblem(Map<String, String> parameters) {
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String key = parameter.getKey();
      String value = parameter.getValue();
      switch (key) {
        case "NOTIFY" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          String upper = value.toUpperCase(Locale.ROOT);
          if (!upper.equals("NEVER")
              && !NOTIFY.matcher(upper).matches()) {
            return replies.badParameterValue("NOTIFY=" + value);
          }
        }
        case "ORCPT" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          int semicolon = value.indexOf(';');
          if (semicolon <= 0 || semicolon == value.length() - 1) {
            return replies.badParameterValue("ORCPT=" + value);
          }
        }
        default -> {
          return replies.unsupportedParameter(key);
        }
      }
    }
    return null;
  }

  /** RFC 3461 §4 xtext: printable ASCII except {@code +} and {@code =}, or {@code +HH}. */
  private static boolean isXtext(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '+') {
        if (i + 2 >= value.length() || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c < 33 || c > 126 || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  }

  private static long parseLong(String value) {
    if (value == null || !DIGITS.matcher(value).matches()) {
      return -1;
    }
    return Long.parseLong(value);
  }

  /**
   * The longest command line allowed: 512 octets, more for MAIL and RCPT lines that carry the
   * parameters whose RFCs extend the limit (SIZE +26, RET/ENVID +100, NOTIFY/ORCPT +500, AUTH=
   * +500), and 12288 for AUTH (RFC 4954 §4).
   */
  private static long lineLimit(String verb, String argument) {
    if (verb.equals("AUTH")) {
      return AUTH_LIMIT;
    }
    if (!verb.equals("MAIL") && !verb.equals("RCPT")) {
      return COMMAND_LIMIT;
    }
    String upper = argument.toUpperCase(Locale.ROOT);
    long limit = COMMAND_LIMIT;
    if (upper.contains(" SIZE=")) {
      limit += 26;
    }
    if (upper.contains(" RET=") || upper.contains(" ENVID=")) {
      limit += 100;
    }
    if (upper.contains(" NOTIFY=") || upper.contains(" ORCPT=")) {
      limit += 500;
    }
    if (upper.contains(" AUTH=")) {
      limit += 500;
    }
    return limit;
  }

  // ------------------------------------------------------------------ violations

  private void violation(Violation.Kind kind, int lineNumber, String text, String detail) {
    context.violation(log, lineNumber, kind, shorten(text), detail);
  }

  /**
   * Notes what the client did wrong in the message data; returns the refusal strict mode gives
   * for the first of it (or for data sent before the 354), or null when the data is clean.
   */
  private EncodedReply dataViolations(MessageData data, int firstLine, boolean early) {
    SmtpInput.DataResult r = dataResult;
    Violation.Kind first = null;
    first = dataViolation(first, Violation.Kind.BARE_LF, r.bareLfLines, firstLine + r.firstBareLf,
        "of the message data held a bare LF");
    first = dataViolation(first, Violation.Kind.BARE_CR, r.bareCrLines, firstLine + r.firstBareCr,
        "of the message data held a bare CR");
    first = dataViolation(first, Violation.Kind.NUL_IN_DATA, r.nulLines, firstLine + r.firstNul,
        "of the message data held a NUL byte");
    first = dataViolation(first, Violation.Kind.TEXT_LINE_TOO_LONG, r.longLines,
        firstLine + r.firstLong, "of the message data exceeded 1000 octets");
    if (r.unstuffedCount > 0) {
      first = dataViolation(first, Violation.Kind.UNSTUFFED_DOT, r.unstuffedCount,
          firstLine + lineIndexOf(data.bytes(), r.unstuffedDots[0]),
          "started with a single period that the double removed");
    }
    String bodyType = transaction.body().toUpperCase(Locale.ROOT);
    // SMTPUTF8 (RFC 6531 §3.1) implies 8BITMIME: UTF-8 headers need no BODY parameter
    boolean declared =
        bodyType.equals("8BITMIME")
            || bodyType.equals("BINARYMIME")
            || transaction.declared("SMTPUTF8");
    if (r.eightBit && !declared) {
      violation(
          Violation.Kind.EIGHT_BIT_WITHOUT_8BITMIME,
          firstLine + Math.max(0, r.firstEightBit),
          "",
          bodyType.isEmpty() ? "MAIL had no BODY parameter" : "MAIL declared BODY=" + bodyType);
      first = first == null ? Violation.Kind.EIGHT_BIT_WITHOUT_8BITMIME : first;
    }
    if (early) {
      return replies.reply(554, "5.5.0", "Error: improper command pipelining after DATA");
    }
    return first == null ? null : replies.reply(554, "5.6.0", "Message rejected: " + first.mark());
  }

  /** Which of Date, From and Message-ID the message lacks. */
  private static List<String> missingHeaders(MessageData data) {
    byte[] head = data.head();
    boolean whole = data.single() || MessageText.bodyOffset(head) < head.length;
    List<HeaderField> fields = MessageText.headers(whole ? head : data.bytes());
    List<String> missing = new ArrayList<>(3);
    for (String name : List.of("Date", "From", "Message-ID")) {
      if (MessageText.first(fields, name).isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** Notes a data violation found on {@code count} lines; returns the first kind noted so far. */
  private Violation.Kind dataViolation(
      Violation.Kind first, Violation.Kind kind, int count, int lineNumber, String what) {
    if (count == 0) {
      return first;
    }
    violation(kind, lineNumber, "", lines(count) + " " + what);
    return first == null ? kind : first;
  }

  private static String lines(int count) {
    return count == 1 ? "1 line" : count + " lines";
  }

  private static int lineIndexOf(byte[] data, int offset) {
    int line = 0;
    for (int i = 0; i + 1 < offset && i + 1 < data.length; i++) {
      if (data[i] == '\r' && data[i + 1] == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String shorten(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  // ------------------------------------------------------------------ endings

  private void timedOut() {
    try {
      log.event("idle timeout");
      send(replies.idleTimeout);
      log.end(Ending.IDLE_TIMEOUT);
      output.flush();
    } catch (IOException | RuntimeException e) {
      // the client is gone anyway
    }
  }

  /** After QUIT: what is pending goes out, then a FIN, then the socket is closed. */
  private void closeOrderly() throws IOException {
    output.flush();
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // already closed by the peer
    }
    socket.close();
  }

  /**
   * After a 421 or a scripted disconnect, as Postfix ends a session: what is pending goes out and
   * the socket is closed at once, with no further reading, so that what the client still writes
   * meets a closed socket (a TCP reset, which the client sees as "Broken pipe" or "Connection
   * reset"), exactly as against a real MTA.
   */
  private void closeNow() throws IOException {
    output.flush();
    socket.close();
  }

  /**
   * Reads and logs (secrets masked) what the client sends to a stalled session, until the client
   * closes.
   *
   * @return whether the client sent QUIT
   */
  private boolean logUnanswered() throws IOException {
    boolean quitSent = false;
    boolean more;
    do {
      more = input.readLine(line, MAX_STORED_LINE, 0);
      if (line.length > 0 || line.complete) {
        String text = decode(line.bytes, line.length);
        logCommand(text);
        quitSent |= text.strip().equalsIgnoreCase("QUIT");
      }
    } while (more);
    return quitSent;
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  private static long deadline(Duration timeout) {
    return timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
  }

  private static Set<String> keywords(Reply reply) {
    if (reply == null) {
      return Set.of();
    }
    Set<String> keywords = new HashSet<>();
    List<String> lines = reply.lines();
    for (int i = 1; i < lines.size(); i++) {
      String keyword = lines.get(i).strip().split(" ", 2)[0];
      keywords.add(keyword.toUpperCase(Locale.ROOT));
    }
    return Set.copyOf(keywords);
  }

  private static String decode(byte[] bytes, int length) {
    boolean ascii = true;
    for (int i = 0; i < length; i++) {
      if (bytes[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return Escaping.text(bytes, 0, length);
    }
  }

  /** Ends the session from deep inside a command, with how it ended. */
  private static final class SessionEnd extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Ending ending;

    SessionEnd(Ending ending) {
      super(ending.description(), null, false, false);
      this.ending = ending;
    }
  }
}
