package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.MessageData;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.mime.HeaderField;
import dev.smtpdouble.internal.mime.MessageText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the client of one session does wrong, noted as {@link Violation}s (SPEC §7): the checks
 * of input that arrived too early and of the message data and its headers, with the refusal a
 * strict server gives for each.
 */
final class ClientViolations {
  /**
   * How much of a message the missing-header check reads at most: a header section is joined into
   * one array only this far, below half the smallest G1 region (so never a humongous object).
   */
  private static final int HEADER_SCAN_LIMIT = 384 * 1024;

  /** The commands after which a client must wait for the reply (RFC 2920 §3.1). */
  static final Set<String> GROUP_ENDERS =
      Set.of("EHLO", "HELO", "DATA", "VRFY", "EXPN", "TURN", "QUIT", "NOOP", "AUTH", "STARTTLS");

  private final SessionContext context;
  private final SessionLog log;
  private final StandardReplies replies;
  private boolean aheadNoted;

  ClientViolations(SessionContext context, SessionLog log) {
    this.context = context;
    this.log = log;
    this.replies = context.replies();
  }

  /**
   * Notes a violation in the record and the transcript.
   *
   * @param kind what the client did
   * @param lineNumber the transcript line it concerns
   * @param text the line's text, shortened here
   * @param detail what the client did, or empty
   */
  void note(Violation.Kind kind, int lineNumber, String text, String detail) {
    context.violation(log, lineNumber, kind, shorten(text), detail);
  }

  /**
   * A new command line was read: the batch of input sent ahead goes on while more is buffered.
   *
   * @param moreBuffered whether more input is waiting
   */
  void nextLine(boolean moreBuffered) {
    aheadNoted = aheadNoted && moreBuffered;
  }

  /**
   * Checks input that arrived before the reply to {@code verb}: pipelining where it was not
   * offered or after a command that ends a group, or message data before the 354 (then true).
   *
   * @return whether the client sent message data before the 354
   */
  boolean sentAhead(String verb, Set<String> advertised, int commandLine, String shownLine) {
    Violation.Kind kind;
    if (verb.equals("DATA")) {
      kind = Violation.Kind.DATA_BEFORE_354;
    } else if (!advertised.contains("PIPELINING")) {
      kind = Violation.Kind.PIPELINING_NOT_OFFERED;
    } else if (GROUP_ENDERS.contains(verb)) {
      kind = Violation.Kind.PIPELINED_AFTER_GROUP_END;
    } else {
      return false; // pipelining as RFC 2920 allows it
    }
    if (!aheadNoted) { // one note per batch is enough
      aheadNoted = true;
      String detail =
          kind == Violation.Kind.DATA_BEFORE_354
              ? ""
              : "more input arrived before the reply to " + verb;
      note(kind, commandLine, shownLine, detail);
    }
    return kind == Violation.Kind.DATA_BEFORE_354;
  }

  /**
   * Notes what is wrong with the command line last logged: a bare LF or CR in it, or more octets
   * than its verb allows.
   *
   * @return true when the line is too long to be answered but with 500
   */
  boolean badCommandLine(CommandLines lines, String verb, String argument) {
    SmtpInput.RawLine line = lines.line;
    if (line.bareLf) {
      note(Violation.Kind.BARE_LF, lines.number(), lines.shown(), "the command line ended with LF alone");
    }
    if (line.bareCr) {
      note(Violation.Kind.BARE_CR, lines.number(), lines.shown(), "a CR inside the command line");
    }
    // most lines are short: the extended limits of MAIL, RCPT and AUTH only matter past 512
    long limit =
        line.octets > ParameterChecks.COMMAND_LIMIT
            ? ParameterChecks.lineLimit(verb, argument)
            : ParameterChecks.COMMAND_LIMIT;
    if (line.overflow || line.octets > limit) {
      note(
          Violation.Kind.COMMAND_LINE_TOO_LONG,
          lines.number(),
          lines.shown(),
          "the line had " + line.octets + " octets with its line end; the limit is " + limit);
      return true;
    }
    return false;
  }

  /**
   * Notes what RFC 5321 forbids in a MAIL or RCPT path but real servers let pass, as Postfix does
   * unless {@code strict_rfc821_envelopes} is set: a space around the colon, no angle brackets.
   */
  void pathForm(PathArgument path, CommandLines lines) {
    if (!path.ok()) {
      return;
    }
    if (path.spaced) {
      note(Violation.Kind.SPACE_AROUND_COLON, lines.number(), lines.shown(), "");
    }
    if (!path.bracketed) {
      note(Violation.Kind.PATH_WITHOUT_BRACKETS, lines.number(), lines.shown(), "");
    }
  }

  /**
   * Notes the first parameter of an extension this session was not offered (after HELO, or an
   * EHLO reply without it), which strict mode refuses with 555; returns its keyword, or null.
   */
  String parameterNotOffered(PathArgument path, Set<String> advertised, CommandLines lines) {
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
        note(
            Violation.Kind.PARAMETER_NOT_OFFERED,
            lines.number(),
            lines.shown(),
            shown + ": the session was not offered " + needs);
        return key;
      }
    }
    return null;
  }

  /**
   * Whether the session was offered CHUNKING; BDAT in a session that was not (after HELO) is
   * noted once a transaction, and strict mode refuses it.
   */
  boolean chunkingOffered(Set<String> advertised, Transaction transaction, CommandLines lines) {
    boolean told = advertised.contains("CHUNKING");
    if (!told && (transaction == null || transaction.chunks.isEmpty())) {
      note(
          Violation.Kind.BDAT_NOT_OFFERED,
          lines.number(),
          lines.shown(),
          "the session was not offered CHUNKING");
    }
    return told;
  }

  /**
   * Throws away what the client sent after STARTTLS before the handshake, noting it: RFC 3207 §5
   * has it discarded (command injection).
   */
  void plaintextBeforeHandshake(SmtpInput input, CommandLines lines) {
    if (input.hasBuffered()) {
      note(
          Violation.Kind.PLAINTEXT_AFTER_STARTTLS,
          lines.number(),
          lines.text(),
          "the double discarded " + input.discardBuffered() + " octets sent before the handshake");
    }
  }

  /** Notes an AUTH whose mechanism sends the secret readable, over a connection without TLS. */
  void plaintextAuth(AuthMechanism mechanism, boolean secure, CommandLines lines) {
    if (mechanism != null && mechanism.plaintext() && !secure) {
      note(
          Violation.Kind.PLAINTEXT_AUTH_WITHOUT_TLS,
          lines.number(),
          "AUTH " + mechanism.keyword(),
          "the secret crossed the wire unencrypted");
    }
  }

  /**
   * In strict mode, the refusal a strict server gives a command line that breaks the rules: a
   * bare CR or LF, or a command sent before the reply to the previous one where pipelining is not
   * allowed. Null when the line is fine.
   */
  EncodedReply strictRefusal(SmtpInput.RawLine line, Set<String> advertised, String previous) {
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

  /**
   * Notes what the client did wrong in the message data; returns the refusal strict mode gives
   * for the first of it (or for data sent before the 354), or null when the data is clean.
   */
  EncodedReply data(
      MessageData data, SmtpInput.DataResult r, Transaction transaction, int firstLine, boolean early) {
    Violation.Kind first = null;
    first = dataLines(first, Violation.Kind.BARE_LF, r.bareLfLines, firstLine + r.firstBareLf,
        "of the message data held a bare LF");
    first = dataLines(first, Violation.Kind.BARE_CR, r.bareCrLines, firstLine + r.firstBareCr,
        "of the message data held a bare CR");
    first = dataLines(first, Violation.Kind.NUL_IN_DATA, r.nulLines, firstLine + r.firstNul,
        "of the message data held a NUL byte");
    first = dataLines(first, Violation.Kind.TEXT_LINE_TOO_LONG, r.longLines,
        firstLine + r.firstLong, "of the message data exceeded 1000 octets");
    if (r.unstuffedCount > 0) {
      first = dataLines(first, Violation.Kind.UNSTUFFED_DOT, r.unstuffedCount,
          firstLine + data.crlfBefore(r.unstuffedDots[0]),
          "started with a single period that the double removed");
    }
    String bodyType = transaction.body().toUpperCase(Locale.ROOT);
    // SMTPUTF8 (RFC 6531 §3.1) implies 8BITMIME: UTF-8 headers need no BODY parameter
    boolean declared =
        bodyType.equals("8BITMIME")
            || bodyType.equals("BINARYMIME")
            || transaction.declared("SMTPUTF8");
    if (r.eightBit && !declared) {
      note(
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

  /**
   * Checks a whole message against what MAIL declared and, when asked, its transfer headers.
   *
   * @return the refusal strict mode gives, or null when the message is fine
   */
  EncodedReply message(
      MessageData data, Transaction transaction, long octets, boolean checkHeaders) {
    EncodedReply refusal = null;
    if (transaction.declared("SIZE")) {
      long declared = ParameterChecks.number(transaction.mailParameters.get("SIZE"));
      if (declared >= 0 && octets > declared) {
        note(
            Violation.Kind.LARGER_THAN_DECLARED_SIZE,
            log.lineCount(),
            "",
            "declared SIZE=" + declared + " but sent " + octets + " octets");
        refusal = replies.largerThanDeclared;
      }
    }
    if (checkHeaders) {
      List<String> missing = missingHeaders(data);
      if (!missing.isEmpty()) {
        String what = "no " + String.join(", no ", missing) + " header";
        note(Violation.Kind.MISSING_HEADER, log.lineCount(), "", "the message has " + what);
        if (refusal == null) {
          refusal = replies.reply(554, "5.6.0", "Message rejected: " + what);
        }
      }
    }
    return refusal;
  }

  /** Which of Date, From and Message-ID the message lacks. */
  private static List<String> missingHeaders(MessageData data) {
    List<HeaderField> fields =
        MessageText.headers(data.headerSection(MessageText::bodyOffset, HEADER_SCAN_LIMIT));
    List<String> missing = new ArrayList<>(3);
    for (String name : List.of("Date", "From", "Message-ID")) {
      if (MessageText.first(fields, name).isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** Notes a data violation found on {@code count} lines; returns the first kind noted so far. */
  private Violation.Kind dataLines(
      Violation.Kind first, Violation.Kind kind, int count, int lineNumber, String what) {
    if (count == 0) {
      return first;
    }
    note(kind, lineNumber, "", (count == 1 ? "1 line" : count + " lines") + " " + what);
    return first == null ? kind : first;
  }

  private static String shorten(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
