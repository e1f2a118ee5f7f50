package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Action;
import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Extension;
import dev.smtpdouble.Reply;
import dev.smtpdouble.Settings;
import dev.smtpdouble.Tls;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.MessageData;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.script.Plan;
import dev.smtpdouble.internal.script.RuleBook;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One SMTP session, from greeting to close: the RFC 5321 state machine over the commands a
 * {@link Wire} delivers. For each command the session works out the reply it would give and the
 * state change that goes with it, and asks the {@link RuleBook} for the {@link Plan} of the rules
 * that match; it then {@linkplain #respond responds}: it {@linkplain #answer answers} with the
 * plan's actions or the normal reply (a positive answer, scripted or not, applies the state
 * change; SPEC §8) and {@linkplain #carryOut carries out} the actions that follow.
 *
 * <p>The session knows no socket: the wire reads, writes, starts TLS and carries out the faults.
 * Replies are queued and leave when the session is about to wait for input. A message is recorded
 * (made visible to the test, its listeners told) before the first byte of the reply that answers
 * it is written.
 */
public final class Session {
  private static final String END_OF_DATA = "end of data";

  private final Wire wire;
  private final SessionContext context;
  private final SessionLog log;
  private final Settings settings;
  final StandardReplies replies;
  private final RuleBook rules;
  private final Limits limits;
  private final Set<Extension> offered;
  private final Tls tls;
  private final ParameterChecks parameters;
  private final ClientViolations violations;
  private final Outbox outbox;
  private final MessageReader reader;
  private final SentSoFar sentSoFar = new SentSoFar();
  private final Wire.Speaker speaker;
  private final CommandLines lines;
  private final SmtpInput.RawLine line;

  private String heloName = "";
  private boolean greeted;
  private boolean refusedAtGreeting;
  private Set<String> advertised = Set.of();
  private Transaction transaction;
  private boolean closeAfterReply;
  private boolean quit;
  private String verb = "";
  private Reply answered;
  private boolean bodyBefore354;
  private boolean secure;
  private String tlsProtocol = "";
  private String tlsCipherSuite = "";
  private String authenticatedUser;
  private AuthMechanism authMechanism;

  /**
   * A session over a wire.
   *
   * @param wire the connection
   * @param context the double
   * @param log the session's transcript, open
   * @param number the session's number
   */
  public Session(Wire wire, SessionContext context, SessionLog log, int number) {
    this.wire = wire;
    this.context = context;
    this.log = log;
    this.settings = context.settings();
    this.replies = context.replies();
    this.rules = context.rules();
    this.limits = context.limits();
    this.offered = settings.extensions();
    this.tls = settings.tls();
    this.parameters = new ParameterChecks(settings, replies);
    this.violations = new ClientViolations(context, log);
    this.outbox = new Outbox(context, number);
    this.reader = new MessageReader(log, violations, settings);
    this.lines = new CommandLines(log, settings.showSecrets());
    this.line = lines.line;
    this.speaker = new SessionSpeaker(this, wire, log, lines, sentSoFar);
  }

  /**
   * Runs the session: the greeting, then command after command until QUIT, a 421 or the end of
   * the input.
   *
   * @return how it ended
   * @throws SessionEnd when it ended inside a command or a fault
   * @throws IOException when the connection failed or timed out
   */
  public Ending converse() throws IOException {
    greet();
    while (true) {
      // the session ends before the last reply leaves: a client that has read it and resets the
      // double at once must find the session over
      if (closeAfterReply) {
        log.end(Ending.CLOSED_AFTER_421);
        wire.close(true);
        return Ending.CLOSED_AFTER_421;
      }
      if (quit) {
        log.end(Ending.QUIT);
        wire.close(false);
        return Ending.QUIT;
      }
      SmtpInput input = wire.input();
      if (!lines.read(input, MessageReader.deadline(settings.idleTimeout()))) {
        if (line.length > 0) {
          lines.logCommand();
          log.event("connection closed in the middle of a command line");
        }
        violations.note(
            Violation.Kind.CLOSED_WITHOUT_QUIT, log.lineCount(), "", "the connection was closed");
        return Ending.CLIENT_CLOSED;
      }
      violations.nextLine(input.hasBuffered());
      command();
    }
  }

  /**
   * Answers a client over the session limit: 421, then close.
   *
   * @return {@link Ending#SESSION_LIMIT}
   * @throws IOException when the connection fails
   */
  public Ending refuseOverLimit() throws IOException {
    send(replies.tooManySessions);
    wire.flush();
    log.event("session limit of " + settings.maxSessions() + " reached");
    wire.close(true);
    return Ending.SESSION_LIMIT;
  }

  /** The client sent no command within the idle timeout: answers 421 as the session ends. */
  public void timedOut() {
    try {
      log.event("idle timeout");
      send(replies.idleTimeout);
      log.end(Ending.IDLE_TIMEOUT);
      wire.flush();
    } catch (IOException | RuntimeException e) {
      // the client is gone anyway
    }
  }

  // ------------------------------------------------------------------ greeting and commands

  private void greet() throws IOException {
    verb = "CONNECT";
    Plan plan = rules.plan("CONNECT", wire.clientIp());
    if (tls != null && tls.mode() == Tls.Mode.IMPLICIT) {
      startTls(plan.failsTls());
    }
    refusedAtGreeting = !answer(plan, replies.greeting);
    carryOutAfter(plan);
  }

  private void command() throws IOException {
    String previous = verb;
    String text = lines.logCommand();
    int space = text.indexOf(' ');
    verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    String argument = space < 0 ? "" : text.substring(space + 1).strip();
    if (violations.badCommandLine(lines, verb, argument)) {
      send(replies.lineTooLong);
      return;
    }
    if (text.isBlank()) {
      send(replies.badSyntax);
      return;
    }
    EncodedReply strictRefusal =
        settings.strict() ? violations.strictRefusal(line, advertised, previous) : null;
    if (strictRefusal != null) {
      respond(argument, strictRefusal, null);
      return;
    }
    if (refusedAtGreeting && !verb.equals("QUIT")) {
      // RFC 5321 §3.1: after a 554 greeting the server answers 503 to all but QUIT
      respond(argument, replies.noService, null);
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
          respond(
              argument,
              argument.isEmpty() ? replies.ok : replies.noArguments,
              () -> transaction = null);
      case "NOOP" -> respond(argument, replies.ok, null);
      case "VRFY" -> respond(argument, argument.isEmpty() ? replies.vrfySyntax : replies.vrfy, null);
      case "EXPN" -> respond(argument, replies.expn, null);
      case "HELP" -> respond(argument, replies.help, null);
      case "QUIT" ->
          respond(argument, argument.isEmpty() ? replies.bye : replies.noArguments, () -> quit = true);
      case "AUTH" -> auth(argument);
      case "STARTTLS" -> starttls(argument);
      case "TURN", "ETRN", "ATRN", "SEND", "SOML", "SAML" ->
          respond(argument, replies.notImplemented, null);
      default -> respond(argument, replies.unknownCommand, null);
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

  private void hello(String argument, boolean extended) throws IOException {
    if (argument.isEmpty()) {
      respond(argument, extended ? replies.ehloSyntax : replies.heloSyntax, null);
      return;
    }
    String name = argument.split(" ", 2)[0];
    respond(
        argument,
        extended ? replies.ehlo(secure) : replies.helo,
        () -> {
          heloName = name;
          greeted = true;
          transaction = null;
          advertised = extended ? CommandLines.keywords(answered) : Set.of();
        });
  }

  private void mail(String argument) throws IOException {
    PathArgument path = PathArgument.parse(argument, "FROM");
    String subject = path.ok() ? path.address : argument;
    String notOffered = violations.parameterNotOffered(path, advertised, lines);
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
      EncodedReply problem = parameters.mail(path.parameters);
      normal = problem != null ? problem : parameters.unlessNotOffered(notOffered, replies.mailOk);
      if (normal == replies.mailOk) {
        normal = limits.atMail(this, user(), subject, replies.mailOk);
      }
    }
    if (!greeted) {
      violations.note(Violation.Kind.MAIL_BEFORE_HELO, lines.number(), argument, "");
    }
    violations.pathForm(path, lines);
    if (path.nonAscii && !path.parameters.containsKey("SMTPUTF8")) {
      violations.note(Violation.Kind.NON_ASCII_WITHOUT_SMTPUTF8, lines.number(), argument, "");
    }
    Map<String, String> mailParameters = path.parameters;
    respond(subject, normal, () -> transaction = new Transaction(outbox.sender(subject), mailParameters));
  }

  private void rcpt(String argument) throws IOException {
    PathArgument path = PathArgument.parse(argument, "TO");
    String subject = path.ok() ? path.address : argument;
    String notOffered = violations.parameterNotOffered(path, advertised, lines);
    EncodedReply normal;
    if (transaction == null) {
      normal = replies.needMail;
      if (!sentBlind()) {
        violations.note(Violation.Kind.RCPT_WITHOUT_MAIL, lines.number(), argument, "");
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
      EncodedReply problem = parameters.rcpt(path.parameters);
      normal = problem != null ? problem : parameters.unlessNotOffered(notOffered, replies.rcptOk);
      if (normal == replies.rcptOk) {
        normal = limits.atRcpt(this, user(), subject, transaction.recipients.size(), normal);
      }
    }
    violations.pathForm(path, lines);
    if (path.nonAscii && (transaction == null || !transaction.declared("SMTPUTF8"))) {
      violations.note(Violation.Kind.NON_ASCII_WITHOUT_SMTPUTF8, lines.number(), argument, "");
    }
    Map<String, String> rcptParameters = path.parameters;
    respond(
        subject,
        normal,
        () -> {
          if (transaction == null) {
            transaction = new Transaction("", Map.of());
          }
          transaction.recipients.add(subject);
          transaction.recipientParameters.add(rcptParameters);
        });
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
      violations.note(Violation.Kind.DATA_WITHOUT_RECIPIENT, lines.number(), "DATA", "");
    }
    Plan plan = rules.planData(argument);
    bodyBefore354 = false;
    if (answer(plan, normal)) {
      receiveData(plan);
    }
  }

  private void receiveData(Plan plan) throws IOException {
    boolean early = bodyBefore354;
    bodyBefore354 = false;
    if (transaction == null) {
      transaction = new Transaction("", Map.of());
    }
    int firstLine = log.lineCount() + 1;
    MessageData data = reader.readData(wire.input());
    SmtpInput.DataResult result = reader.result();
    EncodedReply strictRefusal = violations.data(data, result, transaction, firstLine, early);
    if (plan.atEnd() != null) {
      plan.atEndActed();
    }
    EncodedReply normal =
        result.octets > reader.sizeLimit() ? replies.sizeExceeded : replies.queued;
    if (settings.strict() && strictRefusal != null && normal == replies.queued) {
      normal = strictRefusal;
    }
    normal = limitedEnd(normal);
    boolean truncated = result.octets > reader.captureLimit();
    finishMessage(data, false, truncated, result.octets, plan.atEnd(), normal);
  }

  private void bdat(String argument) throws IOException {
    String[] words = argument.isEmpty() ? new String[0] : argument.split(" +");
    boolean last = words.length == 2 && words[1].equalsIgnoreCase("LAST");
    if (words.length < 1
        || words.length > 2
        || (words.length == 2 && !last)
        || !ParameterChecks.isNumber(words[0])) {
      respond(argument, replies.bdatSyntax, null);
      return;
    }
    long size = Long.parseLong(words[0]);
    boolean refused = !violations.chunkingOffered(advertised, transaction, lines) && settings.strict();
    boolean usable =
        offered.contains(Extension.CHUNKING)
            && !refused
            && transaction != null
            && !transaction.recipients.isEmpty();
    long storeLimit = reader.captureLimit();
    long room = usable ? Math.max(0, storeLimit - transaction.storedChunkOctets) : 0;
    MessageData chunk = reader.readChunk(wire.input(), size, room);
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
        violations.note(
            Violation.Kind.DATA_WITHOUT_RECIPIENT, lines.number(), "BDAT " + argument, "");
      }
    } else {
      transaction.addChunk(chunk, size);
      boolean tooBig = transaction.chunkOctets > reader.sizeLimit();
      normal = limitedEnd(
          !last ? replies.chunkReceived(size) : tooBig ? replies.sizeExceeded : replies.queued);
    }
    Plan plan = rules.planChunk(argument, last);
    if (last && usable) {
      if (plan.now() != null) {
        plan.nowActed();
      }
      finishMessage(
          MessageData.concat(transaction.chunks),
          true,
          transaction.chunkOctets > storeLimit,
          transaction.chunkOctets,
          plan.now(),
          normal);
    } else {
      answer(plan, normal);
      if (usable && answered != null && !answered.isPositive() && transaction != null) {
        transaction.removeLastChunk(chunk, size); // a refused chunk is not part of the message
        log.event("chunk refused: its " + size + " octets are not part of the message");
      }
    }
    carryOutAfter(plan);
  }

  // ------------------------------------------------------------------ TLS and AUTH

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
    Plan plan = rules.plan(verb, argument);
    if (answer(plan, normal) && tls != null && !secure) {
      startTls(plan.failsTls());
      // RFC 3207 §4.2: forget everything learnt before the handshake; the client says EHLO again
      heloName = "";
      greeted = false;
      transaction = null;
      advertised = Set.of();
      authenticatedUser = null;
      authMechanism = null;
      limits.ended(this);
    }
    carryOutAfter(plan);
  }

  /** Starts TLS on the wire; plaintext the client sent ahead is thrown away (RFC 3207 §5). */
  private void startTls(boolean fail) throws IOException {
    wire.flush();
    violations.plaintextBeforeHandshake(wire.input(), lines);
    Wire.TlsState state = wire.startTls(fail);
    secure = true;
    tlsProtocol = state.protocol();
    tlsCipherSuite = state.cipherSuite();
    log.event("TLS started: " + tlsProtocol + " " + tlsCipherSuite);
  }

  private void auth(String argument) throws IOException {
    SaslDialogue dialogue =
        SaslDialogue.open(
            argument, settings, replies, secure, authenticatedUser != null, transaction != null);
    AuthMechanism mechanism = dialogue.mechanism();
    violations.plaintextAuth(mechanism, secure, lines);
    Plan plan = rules.plan(verb, argument);
    answer(plan, dialogue.first());
    Reply sent = answered;
    if (plan.scripted() && sent != null && sent.code() == 235) {
      dialogue.scriptedSuccess();
    }
    // a 334 (scripted or not) asks for a SASL response: the next line is a secret, logged masked;
    // without an exchange under way (a scripted 334) nothing can verify it, so it fails
    while (sent != null && sent.code() == 334 && !closeAfterReply) {
      EncodedReply next = dialogue.respond(readSaslLine());
      send(next);
      sent = next.reply();
    }
    String user = dialogue.user();
    if (user != null && sent != null && sent.code() == 235) {
      authenticatedUser = user;
      authMechanism = mechanism;
      limits.authenticated(this, user);
      log.event("authenticated as " + user + " with " + mechanism.keyword());
    }
    carryOutAfter(plan);
  }

  /** The user the limits count against: the authenticated one, or everyone alike. */
  private String user() {
    return authenticatedUser == null ? "" : authenticatedUser;
  }

  /** The end-of-data reply, or the refusal the persona's limits give instead of a 250. */
  private EncodedReply limitedEnd(EncodedReply normal) {
    return normal != replies.queued
        ? normal
        : limits.atEndOfData(this, user(), transaction.from, transaction.recipients, normal);
  }

  /** The session is over: its limits no longer count it. */
  public void ended() {
    limits.ended(this);
  }

  /** One SASL response line, logged masked. */
  private String readSaslLine() throws IOException {
    if (!lines.read(wire.input(), MessageReader.deadline(settings.idleTimeout()))) {
      log.event("connection closed during AUTH");
      throw new SessionEnd(Ending.CLIENT_CLOSED);
    }
    return lines.logResponse();
  }

  // ------------------------------------------------------------------ messages

  private void finishMessage(
      MessageData data,
      boolean chunked,
      boolean truncated,
      long octets,
      List<Action> endActions,
      EncodedReply normal)
      throws IOException {
    EncodedReply refusal =
        violations.message(data, transaction, octets, settings.checkHeaders());
    if (settings.strict() && refusal != null && normal == replies.queued) {
      normal = refusal;
    }
    // the reply now answers the message content, not DATA or BDAT: commands may follow it in the
    // same write when PIPELINING was offered (RFC 2920 §3.1)
    verb = END_OF_DATA;
    outbox.hold(transaction, data, chunked, truncated);
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
  void publishPending(Reply reply) {
    outbox.publish(
        reply, heloName, authenticatedUser, authMechanism, tlsProtocol, tlsCipherSuite);
  }

  // ------------------------------------------------------------------ rules and replies

  /**
   * Responds to the current command: the plan's answer or the normal reply, the command's state
   * change when the answer is positive, then the actions that follow.
   */
  private void respond(String subject, EncodedReply normal, Runnable onAccept) throws IOException {
    Plan plan = rules.plan(verb, subject);
    if (answer(plan, normal) && onAccept != null) {
      onAccept.run();
    }
    carryOutAfter(plan);
  }

  /** Answers with the plan's actions for now, or the normal reply when there are none. */
  private boolean answer(Plan plan, EncodedReply normal) throws IOException {
    if (plan.now() != null) {
      plan.nowActed();
    }
    return answer(plan.now(), normal);
  }

  /**
   * Answers with the actions, or with the normal reply when there are none (or they hold only
   * delays). Returns whether what was sent is positive; {@link #answered} holds the first reply
   * sent, or null when a raw send was not a reply.
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

  /** Carries out the plan's actions that follow the answer, unless the connection is closing. */
  private void carryOutAfter(Plan plan) throws IOException {
    if (plan.after() != null && !closeAfterReply) {
      plan.afterActed();
      carryOut(plan.after(), false);
    }
  }

  /**
   * Carries out actions in order, on the wire, until the connection is to close. When {@code
   * answering}, what was sent ({@link SentSoFar}) is the answer, in {@link #answered} at once (a
   * fault later in the list publishes the message with it).
   *
   * @return what was sent first, or null when nothing was
   */
  private Sent carryOut(List<Action> actions, boolean answering) throws IOException {
    Sent first = null;
    sentSoFar.start();
    for (Action action : actions) {
      if (closeAfterReply) {
        break;
      }
      Sent sent = wire.carryOut(action, speaker);
      // after raw bytes, each send re-reads the answer from all the bytes sent so far
      if (sent != null && (first == null || sentSoFar.fromRaw())) {
        first = sent;
        if (answering) {
          answered = sent.reply();
        }
      }
    }
    return first;
  }

  /** Sends a reply: logged, and the message it answers published, before it is written. */
  void send(EncodedReply reply) throws IOException {
    noteSentAhead();
    byte[] bytes = reply.wire();
    for (int i = 0; i < reply.lineCount(); i++) {
      log.server(bytes, reply.lineStart(i), reply.lineLength(i));
    }
    publishPending(reply.reply());
    wire.write(bytes, 0, bytes.length);
    if (reply.code() == 421) {
      closeAfterReply = true;
    }
  }

  /**
   * Sends raw bytes: logged, and the message they answer published with the reply they hold (or
   * none), before they are written.
   */
  void sendRaw(byte[] bytes, Reply reply) throws IOException {
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
    wire.write(bytes, 0, bytes.length);
  }

  /** The client sent more before this reply: pipelining, maybe where it is not allowed. */
  private void noteSentAhead() {
    if (verb.equals("CONNECT") || !wire.input().hasBuffered()) {
      return;
    }
    if (violations.sentAhead(verb, advertised, lines.number(), lines.shown())) {
      bodyBefore354 = true;
    }
  }
}
