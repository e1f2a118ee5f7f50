package dev.smtpdouble.junit5;

/**
 * How a double of {@link SmtpServer} offers TLS ({@link SmtpServer#tls()}).
 *
 * <pre>{@code
 * @SmtpServer(tls = TlsMode.STARTTLS, requireTls = Toggle.ON)
 * }</pre>
 *
 * @since 0.1
 */
public enum TlsMode {
  /** Not set here: inherit it from the class annotation; no TLS when none sets it. */
  DEFAULT,
  /**
   * No TLS: STARTTLS is neither offered nor accepted. Lets a method opt out of its class's TLS,
   * together with the class's {@code requireTls}, {@code hideStarttls} and {@code certificate}.
   */
  OFF,
  /**
   * STARTTLS (RFC 3207) on the plain connection, as {@link dev.smtpdouble.Tls#starttls()}: Jakarta
   * Mail's {@code mail.smtp.starttls.enable}, Python's {@code SMTP.starttls()}.
   */
  STARTTLS,
  /**
   * TLS from the first byte (SMTPS, RFC 8314), as {@link dev.smtpdouble.Tls#implicit()}: Jakarta
   * Mail's {@code mail.smtp.ssl.enable}, Python's {@code SMTP_SSL}.
   */
  IMPLICIT
}
