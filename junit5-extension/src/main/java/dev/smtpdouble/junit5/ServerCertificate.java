package dev.smtpdouble.junit5;

/**
 * The certificate a double of {@link SmtpServer} serves over TLS ({@link
 * SmtpServer#certificate()}): its own, or one that {@link TestCertificates} makes for a fault test.
 * A made certificate reaches the test as a {@link TestCertificate} parameter or through {@link
 * TestCertificate#of(dev.smtpdouble.SmtpDouble)}, with the trust material a validating client has.
 *
 * <pre>{@code
 * @Test
 * @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.EXPIRED)
 * void refusesAnExpiredCertificate(SmtpDouble smtp, TestCertificate certificate) { ... }
 * }</pre>
 *
 * <p>All but {@link #DEFAULT} and {@link #BUILT_IN} need Bouncy Castle on the test class path
 * ({@code org.bouncycastle:bcpkix-jdk18on}).
 *
 * @since 0.1
 */
public enum ServerCertificate {
  /** Not set here: inherit it from the class annotation; {@link #BUILT_IN} when none sets it. */
  DEFAULT,
  /**
   * The double's own certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, trusted
   * by {@link dev.smtpdouble.SmtpDouble#clientTls()}.
   */
  BUILT_IN,
  /** A fresh, valid one: {@link TestCertificate.Kind#VALID}. */
  VALID,
  /** A fresh one that expired yesterday: {@link TestCertificate.Kind#EXPIRED}. */
  EXPIRED,
  /** A fresh one valid only from tomorrow on: {@link TestCertificate.Kind#NOT_YET_VALID}. */
  NOT_YET_VALID,
  /**
   * A fresh one for {@value TestCertificates#WRONG_HOST_NAME} only: {@link
   * TestCertificate.Kind#WRONG_HOST}.
   */
  WRONG_HOST,
  /**
   * A fresh self-signed one, which the client does not trust: {@link
   * TestCertificate.Kind#SELF_SIGNED}.
   */
  SELF_SIGNED;

  /** The kind of certificate to make, or null for {@link #DEFAULT} and {@link #BUILT_IN}. */
  TestCertificate.Kind kind() {
    return switch (this) {
      case DEFAULT, BUILT_IN -> null;
      case VALID -> TestCertificate.Kind.VALID;
      case EXPIRED -> TestCertificate.Kind.EXPIRED;
      case NOT_YET_VALID -> TestCertificate.Kind.NOT_YET_VALID;
      case WRONG_HOST -> TestCertificate.Kind.WRONG_HOST;
      case SELF_SIGNED -> TestCertificate.Kind.SELF_SIGNED;
    };
  }
}
