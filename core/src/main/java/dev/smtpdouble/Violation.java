package dev.smtpdouble;

import java.util.Objects;

/**
 * A place where the client broke the SMTP rules: a bare line feed, a line too long, a command sent
 * ahead without PIPELINING, 8-bit data without BODY=8BITMIME, and the like. The double notes them
 * without changing its replies (unless the protocol itself makes it answer differently), so a test
 * can insist that its client is clean:
 *
 * <pre>{@code
 * assertThat(smtp.violations()).isEmpty();
 * }</pre>
 *
 * @since 0.1
 */
public final class Violation {

  /** The kinds of violation the double recognises, each with its RFC reference. */
  public enum Kind {
    /** A line ended with LF alone instead of CRLF (the root of SMTP smuggling). */
    BARE_LF("bare LF", "RFC 5321 §2.3.8", "lines end with CRLF; a lone LF is not a line end"),
    /** A CR not followed by LF. */
    BARE_CR("bare CR", "RFC 5321 §2.3.8", "CR may only appear as part of CRLF"),
    /** A NUL byte (0x00) in DATA message data. */
    NUL_IN_DATA("NUL in message data", "RFC 5322 §2.3", "message text holds no NUL characters"),
    /** A space before or after the colon of {@code MAIL FROM:} or {@code RCPT TO:}. */
    SPACE_AROUND_COLON(
        "space around the colon of FROM:/TO:",
        "RFC 5321 §3.3",
        "no spaces are permitted on either side of the colon after FROM and TO"),
    /** A MAIL or RCPT address without its angle brackets: {@code MAIL FROM:a@b.test}. */
    PATH_WITHOUT_BRACKETS(
        "address without angle brackets",
        "RFC 5321 §4.1.2",
        "MAIL and RCPT give the address in angle brackets: FROM:<a@example.test>"),
    /**
     * A MAIL or RCPT parameter (SIZE=, BODY=, NOTIFY=, ...) of an extension the session was not
     * offered: after HELO, or after an EHLO reply that did not list it.
     */
    PARAMETER_NOT_OFFERED(
        "ESMTP parameter not offered",
        "RFC 5321 §4.1.1.11",
        "MAIL and RCPT parameters may only be used for extensions the EHLO reply offered"),
    /** BDAT although the session was not offered CHUNKING (after HELO, for one). */
    BDAT_NOT_OFFERED(
        "BDAT without CHUNKING",
        "RFC 3030 §2",
        "BDAT may only be used after an EHLO reply that offered CHUNKING"),
    /** A command line longer than 512 octets with its CRLF (more where extensions allow). */
    COMMAND_LINE_TOO_LONG(
        "command line too long", "RFC 5321 §4.5.3.1.4", "a command line is at most 512 octets"),
    /** A line of message data longer than 1000 octets with its CRLF. */
    TEXT_LINE_TOO_LONG(
        "text line too long", "RFC 5321 §4.5.3.1.6", "a line of text is at most 1000 octets"),
    /** A line of message data starting with a period that the client did not double. */
    UNSTUFFED_DOT(
        "leading dot not doubled",
        "RFC 5321 §4.5.2",
        "a data line starting with a period must be sent with one more period"),
    /** Commands sent before the previous reply arrived, though PIPELINING was not offered. */
    PIPELINING_NOT_OFFERED(
        "pipelining without PIPELINING",
        "RFC 2920 §3",
        "without PIPELINING the client must wait for each reply before sending more"),
    /** A command that must end a pipelined group (EHLO, DATA, QUIT, NOOP, ...) was followed by more. */
    PIPELINED_AFTER_GROUP_END(
        "command after the end of a pipelined group",
        "RFC 2920 §3.1",
        "EHLO, DATA, VRFY, EXPN, TURN, QUIT, NOOP, AUTH and STARTTLS must be the last command of a"
            + " group"),
    /**
     * Message data with 8-bit bytes although the client declared neither BODY=8BITMIME (nor
     * BINARYMIME) nor SMTPUTF8.
     */
    EIGHT_BIT_WITHOUT_8BITMIME(
        "8-bit data without BODY=8BITMIME",
        "RFC 6152 §3",
        "8-bit message data must be declared with BODY=8BITMIME (or BINARYMIME with BDAT)"),
    /** A non-ASCII address without the SMTPUTF8 parameter on MAIL. */
    NON_ASCII_WITHOUT_SMTPUTF8(
        "non-ASCII address without SMTPUTF8",
        "RFC 6531 §3.4",
        "UTF-8 addresses need the SMTPUTF8 parameter on MAIL"),
    /** A message larger than the size the client declared with SIZE=. */
    LARGER_THAN_DECLARED_SIZE(
        "message larger than its declared SIZE",
        "RFC 1870 §6",
        "the SIZE= parameter should not be smaller than the message"),
    /** MAIL before the client introduced itself with EHLO or HELO. */
    MAIL_BEFORE_HELO(
        "MAIL before EHLO/HELO",
        "RFC 5321 §4.1.4",
        "a client must send EHLO or HELO before starting a transaction"),
    /** RCPT without a transaction: no MAIL, or after a MAIL the server refused. */
    RCPT_WITHOUT_MAIL(
        "RCPT without an accepted MAIL",
        "RFC 5321 §4.1.4",
        "RCPT may only follow a MAIL the server accepted"),
    /** DATA or BDAT without an accepted recipient. */
    DATA_WITHOUT_RECIPIENT(
        "DATA without an accepted recipient",
        "RFC 5321 §4.1.1.4",
        "DATA needs at least one accepted RCPT"),
    /** Message data sent before the 354 reply to DATA arrived. */
    DATA_BEFORE_354(
        "message sent before 354",
        "RFC 5321 §4.1.1.4",
        "the client must wait for 354 before sending the message"),
    /** Commands sent after STARTTLS before the TLS handshake: the double discards them. */
    PLAINTEXT_AFTER_STARTTLS(
        "plaintext after STARTTLS",
        "RFC 3207 §5",
        "a client sends nothing between STARTTLS and the TLS handshake"),
    /** AUTH with a plaintext mechanism (PLAIN, LOGIN, XOAUTH2) on an unencrypted session. */
    PLAINTEXT_AUTH_WITHOUT_TLS(
        "plaintext AUTH without TLS",
        "RFC 4954 §4",
        "PLAIN, LOGIN and XOAUTH2 send the secret readable; use them only over TLS"),
    /**
     * A message in transfer without its Date, From or Message-ID header; noted only when the
     * double checks headers ({@link SmtpDouble.Builder#checkHeaders()}).
     */
    MISSING_HEADER(
        "missing header",
        "RFC 5322 §3.6",
        "a message in transfer carries Date and From, and should carry Message-ID"),
    /** The client closed the connection without QUIT. */
    CLOSED_WITHOUT_QUIT(
        "closed without QUIT",
        "RFC 5321 §4.1.1.10",
        "a client ends a session with QUIT and waits for 221");

    private final String title;
    private final String rfc;
    private final String rule;

    Kind(String title, String rfc, String rule) {
      this.title = title;
      this.rfc = rfc;
      this.rule = rule;
    }

    /**
     * A few words naming the violation, such as {@code bare LF}.
     *
     * @return the title
     */
    public String title() {
      return title;
    }

    /**
     * The RFC section that sets the rule, such as {@code RFC 5321 §2.3.8}.
     *
     * @return the reference
     */
    public String rfc() {
      return rfc;
    }

    /**
     * The rule the client broke, in one sentence.
     *
     * @return the rule
     */
    public String rule() {
      return rule;
    }

    /**
     * How the transcript marks it: {@code bare LF (RFC 5321 §2.3.8)}.
     *
     * @return the mark
     */
    public String mark() {
      return title + " (" + rfc + ")";
    }
  }

  private final Kind kind;
  private final int sessionNumber;
  private final int lineNumber;
  private final String line;
  private final String detail;

  Violation(Kind kind, int sessionNumber, int lineNumber, String line, String detail) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.sessionNumber = sessionNumber;
    this.lineNumber = lineNumber;
    this.line = line;
    this.detail = detail;
  }

  /**
   * What kind of violation it is.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The RFC section the client broke.
   *
   * @return the reference, as {@link Kind#rfc()}
   */
  public String rfc() {
    return kind.rfc();
  }

  /**
   * The number of the session, as in {@link Transcript.Session#number()}.
   *
   * @return the session number
   */
  public int sessionNumber() {
    return sessionNumber;
  }

  /**
   * The 1-based index of the offending line in that session's {@link Transcript.Session#lines()}.
   *
   * @return the line number
   */
  public int lineNumber() {
    return lineNumber;
  }

  /**
   * The offending line as the transcript shows it (shortened when long).
   *
   * @return the line's text
   */
  public String line() {
    return line;
  }

  /**
   * A short explanation: the rule and what the client did.
   *
   * @return the explanation
   */
  public String explanation() {
    return detail.isEmpty() ? kind.rule() : kind.rule() + "; " + detail;
  }

  /**
   * {@code session 1, line 7: bare LF (RFC 5321 §2.3.8): lines end with CRLF ... — "C: ..."}.
   *
   * @return a one-line description
   */
  @Override
  public String toString() {
    return "session "
        + sessionNumber
        + ", line "
        + lineNumber
        + ": "
        + kind.mark()
        + ": "
        + explanation()
        + (line.isEmpty() ? "" : " — " + line);
  }
}
