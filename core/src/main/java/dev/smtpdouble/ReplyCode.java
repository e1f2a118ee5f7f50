package dev.smtpdouble;

import dev.smtpdouble.internal.text.Wrapping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One SMTP reply code, with what it means, when a client sees it and what to do about it.
 *
 * <p>The catalogue holds every reply code of RFC 5321 (§4.2.2 and §4.2.3), the codes RFC 7504 adds
 * (521 and 556), and those of SMTP AUTH (RFC 4954) and STARTTLS (RFC 3207). There is one instance
 * per code; get it with {@link #of(int)} or {@link #find(int)}.
 *
 * <pre>{@code
 * ReplyCode.of(354).standardText();  // "End data with <CR><LF>.<CR><LF>"
 * ReplyCode.of(421).replyClass();    // TRANSIENT_NEGATIVE
 * System.out.println(ReplyCode.of(211).explain());
 * }</pre>
 *
 * @since 0.1
 */
public final class ReplyCode {

  private static final String NONE = null;

  /** Column at which the values of {@link #explain()} start. */
  static final int LABEL_WIDTH = 17;

  /** Width to which {@link #explain()} wraps its lines. */
  static final int WIDTH = 100;

  private static final Map<Integer, ReplyCode> BY_CODE = table();
  private static final List<ReplyCode> ALL =
      Collections.unmodifiableList(new ArrayList<>(BY_CODE.values()));

  private final int code;
  private final String name;
  private final String standardText;
  private final String defaultEnhancedCode;
  private final String gist;
  private final String meaning;
  private final String whenSeen;
  private final String whatToDo;
  private final String rfc;

  private ReplyCode(
      int code,
      String name,
      String standardText,
      String defaultEnhancedCode,
      String gist,
      String meaning,
      String whenSeen,
      String whatToDo,
      String rfc) {
    this.code = code;
    this.name = name;
    this.standardText = standardText;
    this.defaultEnhancedCode = defaultEnhancedCode;
    this.gist = gist;
    this.meaning = meaning;
    this.whenSeen = whenSeen;
    this.whatToDo = whatToDo;
    this.rfc = rfc;
  }

  /**
   * The whole catalogue, one {@code entry} per code: code, name, standard text, default enhanced
   * code (or {@code NONE}), the short meaning used in {@link #summary()}, meaning, when seen, what
   * to do, and the RFC.
   */
  private static Map<Integer, ReplyCode> table() {
    Map<Integer, ReplyCode> t = new TreeMap<>();

    // 2xx: positive completion
    entry(
        t,
        211,
        "System status",
        "System status, or system help reply",
        "2.0.0",
        "the server answers a status or help request; nothing failed",
        "A positive completion reply given in answer to HELP or to a request for system status:"
            + " the text carries the status or help information. Nothing went wrong and there is"
            + " nothing to fix.",
        "After HELP on servers that answer it with 211 rather than 214, or after a non-standard"
            + " status command; ordinary mail clients rarely send either.",
        "Nothing to fix: read the text if you asked for it. A test that checks the reply to HELP"
            + " should accept 211 as well as 214, since RFC 5321 allows both.",
        "RFC 5321 §4.2.2, §4.1.1.8");
    entry(
        t,
        214,
        "Help message",
        "Help message",
        "2.0.0",
        "the server answers HELP with help text for a human reader",
        "A positive completion reply to HELP whose text is help meant for a person: how to use the"
            + " server, or what a non-standard command does.",
        "After HELP, with or without an argument, often as a multi-line reply.",
        "Nothing to fix. The text is for people: a client must not parse it or depend on its"
            + " wording.",
        "RFC 5321 §4.2.2, §4.1.1.8");
    entry(
        t,
        220,
        "Service ready",
        "Service ready",
        NONE,
        "the server is ready; the client may start with EHLO",
        "A positive completion reply saying the server is ready: it is the greeting sent when the"
            + " connection opens, and also the reply to STARTTLS that tells the client to start the"
            + " TLS handshake. It carries no enhanced status code (RFC 2034 leaves the greeting"
            + " without one).",
        "As the first line after connecting, before the client sends anything; again after"
            + " STARTTLS.",
        "Send EHLO (or HELO). After a 220 to STARTTLS, start the TLS handshake at once and send"
            + " EHLO again over TLS. A client must wait for the greeting before it sends a"
            + " command.",
        "RFC 5321 §4.2.2, §3.1; RFC 3207 §4");
    entry(
        t,
        221,
        "Service closing",
        "Service closing transmission channel",
        "2.0.0",
        "the server accepted QUIT and closes the connection",
        "A positive completion reply to QUIT: the session ended normally, and the server now"
            + " closes the connection.",
        "After QUIT, as the last reply of a session.",
        "Nothing to fix: close your end of the connection. Messages already accepted with 250"
            + " after their final dot stay accepted.",
        "RFC 5321 §4.2.2, §4.1.1.10");
    entry(
        t,
        235,
        "Authentication succeeded",
        "Authentication succeeded",
        "2.7.0",
        "AUTH succeeded and the session is now authenticated",
        "A positive completion reply to AUTH: the credentials were accepted, and the rest of the"
            + " session runs as the authenticated user.",
        "At the end of an AUTH exchange: after the client's last response, or right after AUTH"
            + " when the client sent an initial response.",
        "Go on with MAIL FROM. Do not send AUTH again in the same session: a second AUTH is"
            + " refused with 503.",
        "RFC 4954 §6");
    entry(
        t,
        250,
        "Requested action okay",
        "Requested mail action okay, completed",
        "2.0.0",
        "the command succeeded",
        "A positive completion reply: the command was carried out. After the final dot of DATA it"
            + " means the server has taken responsibility for delivering the message.",
        "After EHLO or HELO (the reply to EHLO lists the extensions, one per line), MAIL FROM,"
            + " RCPT TO, the final dot after DATA, RSET, NOOP, and VRFY of a known address.",
        "Nothing to fix: go on with the next command. If your test expected a failure here, check"
            + " that the scripted rule matches the command you meant.",
        "RFC 5321 §4.2.2, §4.3.2");
    entry(
        t,
        251,
        "User not local; will forward",
        "User not local; will forward",
        "2.1.5",
        "the recipient is accepted and will be forwarded to another address",
        "A positive completion reply to RCPT TO: the mailbox is not on this server, but the server"
            + " accepts the recipient anyway and forwards the message; the text may give the new"
            + " address.",
        "After RCPT TO, on servers that forward mail for users who moved; rare today.",
        "Treat it like 250: the recipient is accepted. If you keep the address, consider replacing"
            + " it with the one the text gives.",
        "RFC 5321 §4.2.2, §3.4");
    entry(
        t,
        252,
        "Cannot verify user",
        "Cannot VRFY user, but will accept message and attempt delivery",
        "2.0.0",
        "the server will not confirm the address but will accept mail for it",
        "A positive completion reply to VRFY (or EXPN): the server does not say whether the"
            + " address exists, usually by policy, but it will accept a message for it and try to"
            + " deliver it.",
        "After VRFY, on the many servers that do not reveal which users exist.",
        "Read it as neither 'valid' nor 'invalid'. To know whether an address works, send the"
            + " message and look at the reply to RCPT TO, or at the bounce.",
        "RFC 5321 §4.2.2, §3.5.3");

    // 3xx: positive intermediate
    entry(
        t,
        334,
        "Server challenge",
        "",
        NONE,
        "AUTH goes on; the server sent a base64 challenge and waits for the response",
        "A positive intermediate reply during AUTH: the text is a base64-encoded challenge of the"
            + " SASL mechanism, possibly empty, and the server waits for one line from the client."
            + " Its text is the challenge alone, so its standard text is empty.",
        "After AUTH with a mechanism that needs more data (LOGIN asks for the user name, then the"
            + " password), and after each client response until the exchange ends.",
        "Send one line holding the base64-encoded response, or a line with a single '*' to cancel"
            + " the exchange (the server then answers 501).",
        "RFC 4954 §4");
    entry(
        t,
        354,
        "Start mail input",
        "End data with <CR><LF>.<CR><LF>",
        NONE,
        "the server waits for the message body, ended by CRLF.CRLF",
        "A positive intermediate reply after DATA: the envelope was accepted and the server now"
            + " waits for the message itself. The client sends the header and body and ends them"
            + " with a line holding a single period (CRLF.CRLF); every line of the message that"
            + " starts with a period must be dot-stuffed, that is sent with one more period in"
            + " front, which the server removes.",
        "After DATA, once MAIL FROM and at least one RCPT TO were accepted.",
        "Send the message, dot-stuffing lines that start with a period, then CRLF.CRLF, and wait"
            + " for the final reply: 250 means accepted, 4xx or 5xx refused. If the captured body"
            + " is cut short or has lost a period, check the client's dot-stuffing and that lines"
            + " end in CRLF.",
        "RFC 5321 §4.2.2, §4.1.1.4, §4.5.2");

    // 4xx: transient negative completion
    entry(
        t,
        421,
        "Service not available",
        "Service not available, closing transmission channel",
        "4.3.2",
        "the server closes the connection; try again later",
        "A transient negative reply that ends the session: the server is shutting down, overloaded"
            + " or otherwise unable to serve now, and closes the connection after sending it. It"
            + " may answer any command, or replace the greeting.",
        "As the greeting of a busy server, as the reply to any command when the server must shut"
            + " down, or when the client stayed idle longer than the server's timeout.",
        "Treat the message in progress as not sent: reconnect later and send it again from the"
            + " start. Do not wait for anything else on this connection; it is closing.",
        "RFC 5321 §4.2.2, §3.8");
    entry(
        t,
        432,
        "Password transition needed",
        "A password transition is needed",
        "4.7.12",
        "the user must first authenticate once with PLAIN",
        "A transient negative reply to AUTH: the server cannot use the chosen mechanism for this"
            + " user yet, because the stored credentials must first be converted; authenticating"
            + " once with PLAIN (over TLS) normally does that.",
        "After AUTH with a mechanism such as CRAM-MD5 for a user whose password the server keeps"
            + " only in a form for other mechanisms.",
        "Authenticate once with PLAIN over an encrypted connection; later sessions can use the"
            + " chosen mechanism.",
        "RFC 4954 §6");
    entry(
        t,
        450,
        "Mailbox unavailable",
        "Requested mail action not taken: mailbox unavailable",
        "4.2.0",
        "the mailbox cannot take mail right now; retry later",
        "A transient negative reply: the action on the mailbox was not taken because it is"
            + " unavailable for now, for instance busy, or blocked for a while by policy such as"
            + " greylisting.",
        "Mostly after RCPT TO (greylisting, an address the server cannot verify yet); sometimes"
            + " after MAIL FROM or the final dot.",
        "Keep the message and retry later; greylisting servers accept the retry after some"
            + " minutes. Other recipients of the same transaction are not affected.",
        "RFC 5321 §4.2.2");
    entry(
        t,
        451,
        "Local error in processing",
        "Requested action aborted: local error in processing",
        "4.3.0",
        "the server failed on its side; retry later",
        "A transient negative reply: the server could not carry out the command because of a"
            + " problem on its side, such as a failed lookup or a storage or queue error.",
        "After MAIL FROM, RCPT TO or the final dot of DATA; some servers also use it when a DNS"
            + " check of the sender fails for the time being.",
        "Retry later: the fault is not in your request. After the final dot it means the message"
            + " was not accepted and must be sent again.",
        "RFC 5321 §4.2.2");
    entry(
        t,
        452,
        "Insufficient system storage",
        "Requested action not taken: insufficient system storage",
        "4.3.1",
        "the server lacks storage, or the transaction has too many recipients; retry later",
        "A transient negative reply: the server cannot take the command now for lack of storage."
            + " After RCPT TO it also says that the transaction has reached the server's limit on"
            + " recipients.",
        "After MAIL FROM (especially with a SIZE parameter), after RCPT TO (too many recipients),"
            + " or after the final dot.",
        "After RCPT TO, send the message to the recipients accepted so far and the others in a new"
            + " transaction. Otherwise retry later.",
        "RFC 5321 §4.2.2, §4.5.3.1.10");
    entry(
        t,
        454,
        "Temporary TLS or authentication failure",
        "TLS or authentication not available for a temporary reason",
        "4.7.0",
        "STARTTLS or AUTH failed for a temporary reason; retry later",
        "A transient negative reply to STARTTLS or AUTH: TLS cannot be started (RFC 3207), or"
            + " authentication cannot be completed (RFC 4954), for a temporary reason such as a"
            + " failing back end.",
        "After STARTTLS, or during or at the end of an AUTH exchange.",
        "Retry later. Do not fall back to sending credentials or mail without TLS if your"
            + " security policy requires it.",
        "RFC 3207 §4; RFC 4954 §6");
    entry(
        t,
        455,
        "Unable to accommodate parameters",
        "Server unable to accommodate parameters",
        "4.3.3",
        "the server understood the parameters but cannot accommodate them now",
        "A transient negative reply to MAIL FROM or RCPT TO: the server recognized the parameters"
            + " given after the address but cannot accommodate them at present.",
        "After MAIL FROM or RCPT TO that carry ESMTP parameters.",
        "Retry later, or send without the parameter if it is optional.",
        "RFC 5321 §4.2.2");

    // 5xx: permanent negative completion
    entry(
        t,
        500,
        "Syntax error",
        "Syntax error, command unrecognized",
        "5.5.2",
        "the server did not recognize the command, or the line was too long",
        "A permanent negative reply: the command was not recognized, for instance a misspelled"
            + " verb, an extension the server does not know, or a command line longer than the"
            + " server accepts.",
        "After any command line; also after an over-long response line during AUTH (then with"
            + " 5.5.6).",
        "Check the verb's spelling and that the client only uses extensions listed in the reply"
            + " to EHLO; keep command lines within 512 octets including CRLF.",
        "RFC 5321 §4.2.2, §4.5.3.1.4");
    entry(
        t,
        501,
        "Syntax error in arguments",
        "Syntax error in parameters or arguments",
        "5.5.4",
        "the command is known but its arguments are malformed",
        "A permanent negative reply: the verb is known but its argument is not valid, for instance"
            + " a path without angle brackets, a malformed address, or invalid base64 during AUTH.",
        "After MAIL FROM, RCPT TO, EHLO or HELO, VRFY, or a response during AUTH; also when the"
            + " client cancels AUTH with '*'.",
        "Fix the argument: paths go in angle brackets with no space after the colon, as in"
            + " MAIL FROM:<a@example.com>.",
        "RFC 5321 §4.2.2, §4.1.2");
    entry(
        t,
        502,
        "Command not implemented",
        "Command not implemented",
        "5.5.1",
        "the server knows the command but does not implement it",
        "A permanent negative reply: the command is recognized but this server does not implement"
            + " it, or has it switched off.",
        "After optional commands such as VRFY, EXPN, HELP or TURN, or an extension command the"
            + " server did not advertise.",
        "Do without the command, and check the reply to EHLO before using an extension.",
        "RFC 5321 §4.2.2, §4.2.4");
    entry(
        t,
        503,
        "Bad sequence of commands",
        "Bad sequence of commands",
        "5.5.1",
        "the command came in the wrong order",
        "A permanent negative reply: the command is valid but not allowed at this point of the"
            + " session, for instance MAIL FROM before EHLO, RCPT TO before MAIL FROM, DATA"
            + " without an accepted recipient, or a second AUTH.",
        "After MAIL FROM, RCPT TO, DATA, AUTH or STARTTLS out of order, often because the client"
            + " went on after an earlier command had failed.",
        "Check the order EHLO, [STARTTLS, EHLO], [AUTH], MAIL FROM, RCPT TO..., DATA, and check the"
            + " reply to the command before: a client that ignores a refused RCPT TO meets 503 at"
            + " DATA.",
        "RFC 5321 §4.2.2, §4.1.4");
    entry(
        t,
        504,
        "Command parameter not implemented",
        "Command parameter not implemented",
        "5.5.4",
        "the command is known, but not with this parameter",
        "A permanent negative reply: the command is implemented, but not with the parameter"
            + " given, for instance an AUTH mechanism the server does not offer.",
        "After AUTH with a mechanism that is not offered, or a command with a parameter the server"
            + " does not implement.",
        "Use only the mechanisms and parameters listed in the reply to EHLO.",
        "RFC 5321 §4.2.2; RFC 4954 §4");
    entry(
        t,
        521,
        "Host does not accept mail",
        "Host does not accept mail",
        "5.3.2",
        "this host never accepts mail; do not retry",
        "A permanent negative reply: this host does not accept mail at all. It is sent as the"
            + " greeting, after which the server closes the connection or answers every command"
            + " with 521.",
        "As the greeting of a host that listens on the SMTP port only to refuse mail; sometimes as"
            + " the reply to later commands.",
        "Do not retry this host. The MX records or the client's configuration probably point at"
            + " the wrong host.",
        "RFC 7504");
    entry(
        t,
        530,
        "Authentication required",
        "Authentication required",
        "5.7.0",
        "the server requires AUTH (or STARTTLS) before this command",
        "A permanent negative reply: the server's policy requires the client to authenticate"
            + " (RFC 4954), or to start TLS (RFC 3207), before it accepts this command.",
        "After MAIL FROM (or another command) on a submission server before a successful AUTH, or"
            + " before STARTTLS where TLS is required.",
        "Start TLS if required, authenticate, then send the command again; check that the client"
            + " is configured to use AUTH and TLS.",
        "RFC 4954 §6; RFC 3207 §4");
    entry(
        t,
        534,
        "Mechanism too weak",
        "Authentication mechanism is too weak",
        "5.7.9",
        "the AUTH mechanism is weaker than the server's policy allows",
        "A permanent negative reply to AUTH: the chosen mechanism is weaker than the server's"
            + " policy allows for this user.",
        "After AUTH PLAIN or LOGIN on servers that want a stronger mechanism, for instance before"
            + " TLS.",
        "Retry with a stronger mechanism from the AUTH line of the reply to EHLO, or start TLS"
            + " first.",
        "RFC 4954 §6");
    entry(
        t,
        535,
        "Credentials invalid",
        "Authentication credentials invalid",
        "5.7.8",
        "the AUTH credentials were rejected",
        "A permanent negative reply to AUTH: the user name, password or other credentials were"
            + " rejected.",
        "At the end of an AUTH exchange.",
        "Check the credentials the test configured and their encoding (base64 of the mechanism's"
            + " format). Sending the same credentials again fails again.",
        "RFC 4954 §6");
    entry(
        t,
        538,
        "Encryption required",
        "Encryption required for requested authentication" + " mechanism",
        "5.7.11",
        "the AUTH mechanism may only be used over an encrypted connection",
        "A permanent negative reply to AUTH: the chosen mechanism is only allowed once the"
            + " connection is encrypted.",
        "After AUTH PLAIN or LOGIN on a connection without TLS.",
        "Send STARTTLS (or connect with implicit TLS) before AUTH.",
        "RFC 4954 §6");
    entry(
        t,
        550,
        "Mailbox unavailable",
        "Requested action not taken: mailbox unavailable",
        "5.1.1",
        "the mailbox does not exist or is refused; do not retry unchanged",
        "A permanent negative reply: the action was not taken because the mailbox is unavailable:"
            + " it does not exist, access to it is denied, or policy refuses the command (relaying"
            + " denied, spam).",
        "Mostly after RCPT TO (unknown user, relaying denied); also after MAIL FROM or the final"
            + " dot when policy refuses the sender or the message.",
        "Do not send the same request again: check the address for typos, that this is the right"
            + " server for the domain, and the reply text for a policy reason. The transaction's"
            + " other recipients can still be used.",
        "RFC 5321 §4.2.2");
    entry(
        t,
        551,
        "User not local",
        "User not local; please try another address",
        "5.1.6",
        "the mailbox is not here and the server will not forward",
        "A permanent negative reply to RCPT TO: the mailbox is not on this server, and the server"
            + " will not forward the message; the text may name the address to use instead.",
        "After RCPT TO, on servers that know where a user has moved; rare today.",
        "Send to the address the text gives, once you have checked it, or ask the recipient for"
            + " the current address.",
        "RFC 5321 §4.2.2, §3.4");
    entry(
        t,
        552,
        "Storage allocation exceeded",
        "Requested mail action aborted: exceeded storage allocation",
        "5.3.4",
        "the message is too big, or a storage allocation is used up",
        "A permanent negative reply: the action was aborted because a storage limit was exceeded,"
            + " most often the maximum message size, sometimes the recipient's quota.",
        "After MAIL FROM with a SIZE above the limit, after the final dot of an oversized message,"
            + " or after RCPT TO for a full mailbox.",
        "Send a smaller message, and compare its size with the SIZE limit in the reply to EHLO."
            + " A 552 after RCPT TO for too many recipients is an old error for 452: treat it as"
            + " temporary.",
        "RFC 5321 §4.2.2, §4.5.3.1.10; RFC 1870");
    entry(
        t,
        553,
        "Mailbox name not allowed",
        "Requested action not taken: mailbox name not allowed",
        "5.1.3",
        "the address is malformed or not allowed",
        "A permanent negative reply: the address is not acceptable, typically because its syntax"
            + " is wrong, or because the server does not let this mailbox name be used (a sender"
            + " it does not allow, for instance).",
        "After MAIL FROM or RCPT TO.",
        "Check the address syntax (local part, @, domain; no spaces or stray characters) and, for"
            + " MAIL FROM, that the server lets you send as this sender.",
        "RFC 5321 §4.2.2");
    entry(
        t,
        554,
        "Transaction failed",
        "Transaction failed",
        "5.0.0",
        "the transaction failed, or the server offers no SMTP service",
        "A permanent negative reply: the transaction failed for a reason no other code covers,"
            + " typically a message refused after its final dot (spam, virus, policy). As the"
            + " greeting it means that this server offers no SMTP service to the client.",
        "After the final dot of DATA, after DATA when no recipient was accepted, or as the"
            + " greeting of a server that refuses the client.",
        "Read the reply text and the enhanced code for the reason; resending the same message"
            + " fails again. After a 554 greeting, send QUIT and do not use this server.",
        "RFC 5321 §4.2.2, §3.1");
    entry(
        t,
        555,
        "Parameters not recognized",
        "MAIL FROM/RCPT TO parameters not recognized or not implemented",
        "5.5.4",
        "a MAIL FROM or RCPT TO parameter is not recognized or not implemented",
        "A permanent negative reply to MAIL FROM or RCPT TO: a parameter after the address (such"
            + " as SIZE=, BODY= or NOTIFY=) is not recognized or not implemented.",
        "After MAIL FROM or RCPT TO with a parameter of an extension the server did not"
            + " advertise.",
        "Only send parameters of extensions listed in the reply to EHLO.",
        "RFC 5321 §4.2.2");
    entry(
        t,
        556,
        "Domain does not accept mail",
        "Domain does not accept mail",
        "5.1.10",
        "the recipient's domain accepts no mail at all",
        "A permanent negative reply: the recipient's domain has declared that it accepts no mail,"
            + " for instance with a null MX record (RFC 7505).",
        "After RCPT TO on a relay or submission server that looked up the recipient's domain; also"
            + " in bounces.",
        "Do not retry: the domain takes no mail. Check the domain part of the address for a typo.",
        "RFC 7504; RFC 7505");
    return t;
  }

  private static void entry(
      Map<Integer, ReplyCode> t,
      int code,
      String name,
      String standardText,
      String enhanced,
      String gist,
      String meaning,
      String whenSeen,
      String whatToDo,
      String rfc) {
    ReplyCode previous =
        t.put(
            code,
            new ReplyCode(
                code, name, standardText, enhanced, gist, meaning, whenSeen, whatToDo, rfc));
    if (previous != null) {
      throw new IllegalStateException("reply code " + code + " listed twice");
    }
  }

  /**
   * The catalogue entry for a reply code.
   *
   * @param code a reply code, for instance 354
   * @return the entry
   * @throws IllegalArgumentException when the catalogue does not know the code
   */
  public static ReplyCode of(int code) {
    ReplyCode found = BY_CODE.get(code);
    if (found == null) {
      throw new IllegalArgumentException(
          code
              + " is not a known SMTP reply code"
              + (code < 200 || code > 599
                  ? " (SMTP reply codes run from 200 to 599)"
                  : " (ReplyCode.all() lists the known ones)"));
    }
    return found;
  }

  /**
   * The catalogue entry for a reply code, if the catalogue knows it.
   *
   * @param code a reply code, for instance 354
   * @return the entry, or empty when the code is not known
   */
  public static Optional<ReplyCode> find(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /**
   * Every reply code in the catalogue.
   *
   * @return the entries in ascending order of code; the list cannot be modified
   */
  public static List<ReplyCode> all() {
    return ALL;
  }

  /**
   * The three-digit code.
   *
   * @return the code, for instance 354
   */
  public int code() {
    return code;
  }

  /**
   * The class of this code, from its first digit.
   *
   * @return the class
   */
  public ReplyClass replyClass() {
    return ReplyClass.of(code);
  }

  /**
   * A short name, for instance {@code "Start mail input"}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The text that a reply with this code and no text of its own gets on the wire, without a host
   * name and without an enhanced status code, for instance {@code "End data with
   * <CR><LF>.<CR><LF>"} for 354 (the double's own reply to DATA, in Postfix's words). It is empty for 334, whose text is the AUTH challenge alone.
   *
   * @return the standard text
   */
  public String standardText() {
    return standardText;
  }

  /**
   * The RFC 3463 enhanced status code that a server which announces ENHANCEDSTATUSCODES would put
   * in front of the standard text, for instance {@code "2.0.0"} for 250.
   *
   * <p>Empty for 3xx codes, which never carry one, and for 220, which is the greeting. Servers also
   * leave the code off the replies to HELO and EHLO (RFC 2034).
   *
   * @return the enhanced code, or empty when this code does not take one
   */
  public Optional<String> defaultEnhancedCode() {
    return Optional.ofNullable(defaultEnhancedCode);
  }

  /**
   * What the code means, in one to three sentences.
   *
   * @return the meaning
   */
  public String meaning() {
    return meaning;
  }

  /**
   * When a client typically sees this code: after which command, in which situation.
   *
   * @return the situation
   */
  public String whenSeen() {
    return whenSeen;
  }

  /**
   * What a client, or the author of a test that met this code, should do.
   *
   * @return the advice
   */
  public String whatToDo() {
    return whatToDo;
  }

  /**
   * Where the code is defined, for instance {@code "RFC 5321 §4.2.2"}.
   *
   * @return the reference
   */
  public String rfc() {
    return rfc;
  }

  /**
   * One line: code, name, class and a short meaning, as in {@code 354 Start mail input — positive
   * intermediate: the server waits for the message body, ended by CRLF.CRLF}.
   *
   * @return the summary
   */
  public String summary() {
    return code + " " + name + " — " + replyClass().description() + ": " + gist;
  }

  /**
   * The full entry on several lines: the summary, then the class, meaning, when seen, what to do,
   * the text on the wire, the default enhanced code and the RFC, wrapped to 100 columns. Lines are
   * separated by {@code \n}.
   *
   * @return the entry
   */
  public String explain() {
    StringBuilder out = new StringBuilder(summary()).append('\n');
    ReplyClass c = replyClass();
    field(out, "Class", c.digit() + "xx " + c.description() + " — " + c.meaning() + ".");
    field(out, "Meaning", meaning);
    field(out, "When seen", whenSeen);
    field(out, "What to do", whatToDo);
    String wire;
    if (standardText.isEmpty()) {
      wire = code + " followed by the challenge; an empty one is sent as \"" + code + " \"";
    } else if (defaultEnhancedCode == null) {
      wire = code + " " + standardText;
    } else {
      wire = code + " " + defaultEnhancedCode + " " + standardText;
    }
    field(out, "On the wire", wire);
    field(out, "Enhanced code", enhancedLine());
    field(out, "Reference", rfc);
    return out.substring(0, out.length() - 1);
  }

  private String enhancedLine() {
    if (defaultEnhancedCode != null) {
      return EnhancedStatusCode.find(defaultEnhancedCode)
          .map(e -> e.code() + " " + e.name())
          .orElse(defaultEnhancedCode);
    }
    return code / 100 == 3
        ? "none: 3xx replies never carry one (RFC 2034, RFC 3463)"
        : "none: the greeting carries no enhanced code (RFC 2034)";
  }

  /** Appends {@code label: value}, with the value wrapped to {@link #WIDTH} and indented. */
  static void field(StringBuilder out, String label, String value) {
    String pad = " ".repeat(LABEL_WIDTH);
    List<String> lines = Wrapping.wrap(value, WIDTH - LABEL_WIDTH);
    for (int i = 0; i < lines.size(); i++) {
      String head = i == 0 ? ("  " + label + ":" + pad).substring(0, LABEL_WIDTH) : pad;
      out.append(head).append(lines.get(i)).append('\n');
    }
  }


  /**
   * Two entries are equal when they have the same code.
   *
   * @param other the object to compare with
   * @return whether {@code other} is a reply code with the same code
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ReplyCode && ((ReplyCode) other).code == code;
  }

  /**
   * A hash of the code.
   *
   * @return the hash
   */
  @Override
  public int hashCode() {
    return Integer.hashCode(code);
  }

  /**
   * The {@link #summary()}.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    return summary();
  }
}
