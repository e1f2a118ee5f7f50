package dev.smtpdouble.testing;

import java.util.List;

/**
 * The replies a double with the default settings gives, exactly as they appear on the wire
 * without CRLF: what wire-level tests expect.
 *
 * <pre>{@code
 * client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
 * }</pre>
 */
public final class Replies {
  /** The greeting. */
  public static final String GREETING = "220 localhost ESMTP";

  /** The reply to HELO. */
  public static final String HELO_OK = "250 localhost";

  /** The reply to an accepted MAIL. */
  public static final String MAIL_OK = "250 2.1.0 Ok";

  /** The reply to an accepted RCPT. */
  public static final String RCPT_OK = "250 2.1.5 Ok";

  /** The reply to NOOP and RSET. */
  public static final String OK = "250 2.0.0 Ok";

  /** The reply to DATA: go ahead. */
  public static final String DATA_GO = "354 End data with <CR><LF>.<CR><LF>";

  /** The reply at the end of the data of an accepted message. */
  public static final String QUEUED = "250 2.0.0 Ok: queued";

  /** The reply to QUIT. */
  public static final String BYE = "221 2.0.0 Bye";

  /** The reply to RCPT or DATA before MAIL. */
  public static final String NEED_MAIL = "503 5.5.1 Error: need MAIL command";

  /** The reply to DATA before an accepted RCPT. */
  public static final String NEED_RCPT = "503 5.5.1 Error: need RCPT command";

  /** The reply to a successful AUTH. */
  public static final String AUTH_OK = "235 2.7.0 Authentication successful";

  /** The reply to a failed AUTH. */
  public static final String AUTH_FAILED = "535 5.7.8 Error: authentication failed";

  /** The reply to STARTTLS. */
  public static final String TLS_READY = "220 2.0.0 Ready to start TLS";

  /** The reply to a message over the size limit. */
  public static final String SIZE_EXCEEDED = "552 5.3.4 Message size exceeds fixed limit";

  /** The reply to a command line over the length limit. */
  public static final String LINE_TOO_LONG = "500 5.5.2 Error: line too long";

  /** The EHLO reply: every extension, SIZE with the 50 MiB default limit. */
  public static final List<String> DEFAULT_EHLO =
      List.of(
          "250-localhost",
          "250-SIZE 52428800",
          "250-8BITMIME",
          "250-PIPELINING",
          "250-SMTPUTF8",
          "250-ENHANCEDSTATUSCODES",
          "250-CHUNKING",
          "250-BINARYMIME",
          "250 DSN");

  private Replies() {}
}
