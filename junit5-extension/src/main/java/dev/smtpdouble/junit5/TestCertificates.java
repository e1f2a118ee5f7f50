package dev.smtpdouble.junit5;

import java.util.Objects;

/**
 * Makes certificates for fault tests on demand: a fresh test CA and a server certificate that is
 * valid, expired, not yet valid, for the wrong host name, or self-signed. Each comes with the trust
 * material a validating client would have (the CA), so a test can check that the client really
 * refuses the certificate, with host name checks on and without "trust all".
 *
 * <pre>{@code
 * TestCertificate wrongHost = TestCertificates.wrongHost();
 * try (SmtpDouble smtp =
 *     SmtpDouble.builder().tls(wrongHost.applyTo(Tls.starttls().required())).start()) {
 *   props.put("mail.smtp.starttls.enable", "true");
 *   props.put("mail.smtp.ssl.socketFactory", wrongHost.socketFactory());
 *   props.put("mail.smtp.ssl.checkserveridentity", "true");
 *   assertThatThrownBy(() -> Transport.send(message)).hasRootCauseInstanceOf(...);
 * }
 * }</pre>
 *
 * <p>Certificates are made with Bouncy Castle, an optional dependency of smtp-double-junit5 (core
 * stays free of dependencies): add {@code org.bouncycastle:bcpkix-jdk18on} to the test class path.
 * On the module path, the test module also needs {@code requires org.bouncycastle.pkix;}. Making
 * one takes a few milliseconds (EC P-256 keys).
 *
 * <p>{@link SmtpServer#certificate()} makes one for a double of the extension.
 *
 * @since 0.1
 */
public final class TestCertificates {

  /** The only name a {@link TestCertificate.Kind#WRONG_HOST} certificate is valid for: {@value}. */
  public static final String WRONG_HOST_NAME = "wrong.example.test";

  private static final String[] REQUIRED_CLASSES = {
    "org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder", // bcpkix
    "org.bouncycastle.asn1.x500.X500Name", // bcprov
  };

  private TestCertificates() {}

  /**
   * A valid certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}: the control case
   * of a fault test, and a way to test a client with a CA other than the double's own.
   *
   * @return a fresh certificate and CA
   * @throws IllegalStateException when Bouncy Castle is not on the class path
   */
  public static TestCertificate valid() {
    return create(TestCertificate.Kind.VALID);
  }

  /**
   * A certificate that expired yesterday; a validating client refuses it (in Java, a {@code
   * CertificateExpiredException} under the {@code SSLHandshakeException}).
   *
   * @return a fresh certificate and CA
   * @throws IllegalStateException when Bouncy Castle is not on the class path
   */
  public static TestCertificate expired() {
    return create(TestCertificate.Kind.EXPIRED);
  }

  /**
   * A certificate valid only from tomorrow on; a validating client refuses it (in Java, a {@code
   * CertificateNotYetValidException}).
   *
   * @return a fresh certificate and CA
   * @throws IllegalStateException when Bouncy Castle is not on the class path
   */
  public static TestCertificate notYetValid() {
    return create(TestCertificate.Kind.NOT_YET_VALID);
  }

  /**
   * A certificate for {@value #WRONG_HOST_NAME} only; a client that checks the host name ({@code
   * mail.smtp.ssl.checkserveridentity=true}) refuses it.
   *
   * @return a fresh certificate and CA
   * @throws IllegalStateException when Bouncy Castle is not on the class path
   */
  public static TestCertificate wrongHost() {
    return create(TestCertificate.Kind.WRONG_HOST);
  }

  /**
   * A self-signed certificate for {@code localhost}; the trust material handed out holds a CA that
   * did not sign it, so a validating client finds no trusted chain.
   *
   * @return a fresh certificate and an unrelated CA
   * @throws IllegalStateException when Bouncy Castle is not on the class path
   */
  public static TestCertificate selfSigned() {
    return create(TestCertificate.Kind.SELF_SIGNED);
  }

  /**
   * A certificate of the given kind.
   *
   * @param kind what is wrong with it, if anything
   * @return a fresh certificate and CA
   * @throws IllegalStateException when Bouncy Castle is not on the class path
   */
  public static TestCertificate create(TestCertificate.Kind kind) {
    Objects.requireNonNull(kind, "kind");
    if (!available()) {
      throw new IllegalStateException(missingMessage());
    }
    return TestCertificate.make(kind);
  }

  /**
   * Whether Bouncy Castle is there to make certificates, for an {@code assumeTrue}.
   *
   * @return true when its classes can be loaded
   */
  public static boolean available() {
    for (String name : REQUIRED_CLASSES) {
      try {
        Class.forName(name, false, TestCertificates.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    return true;
  }

  /** What to add, for the exceptions of the factories and of the extension. */
  static String missingMessage() {
    return "smtp-double makes test certificates with Bouncy Castle, which is not on the class"
        + " path: add org.bouncycastle:bcpkix-jdk18on (test scope; it brings bcprov-jdk18on and"
        + " bcutil-jdk18on). On the module path, also add requires org.bouncycastle.pkix; to the"
        + " test module.";
  }
}
