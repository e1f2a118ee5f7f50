package dev.smtpdouble.junit5;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for a fault test, made by {@link TestCertificates}: the server side (a key store to
 * serve with {@link #applyTo(Tls)}) and the client side (the trust material a validating client
 * has: a fresh test CA, and nothing else). Each one has its own CA, so no two tests trust each
 * other's certificates.
 *
 * <pre>{@code
 * TestCertificate expired = TestCertificates.expired();
 * SmtpDouble smtp = SmtpDouble.builder().tls(expired.applyTo(Tls.starttls())).start();
 * props.put("mail.smtp.ssl.socketFactory", expired.socketFactory());
 * props.put("mail.smtp.ssl.checkserveridentity", "true");
 * // Transport.send fails: the certificate the double serves has expired
 * }</pre>
 *
 * <p>Take the client's trust material from here, not from {@link SmtpDouble#clientTls()}: a double
 * serving a key store of its own trusts the root of the chain it serves, which for a {@link
 * Kind#SELF_SIGNED} certificate is that certificate itself.
 *
 * <p>With {@link SmtpServer#certificate()} the extension makes one for the double and hands it to
 * the test as a {@code TestCertificate} parameter or through {@link #of(SmtpDouble)}.
 *
 * @since 0.1
 */
public final class TestCertificate {

  /** What is wrong with the certificate the server presents, as a validating client sees it. */
  public enum Kind {
    /**
     * Nothing: issued by the CA for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid
     * from a day ago for 30 days. The control case.
     */
    VALID,
    /** As {@link #VALID}, but it expired yesterday (valid from 30 days ago until a day ago). */
    EXPIRED,
    /** As {@link #VALID}, but valid only from tomorrow on. */
    NOT_YET_VALID,
    /**
     * As {@link #VALID}, but for {@value TestCertificates#WRONG_HOST_NAME} only: the host name
     * check of a client that connects to {@code localhost} or {@code 127.0.0.1} fails.
     */
    WRONG_HOST,
    /**
     * A certificate for {@code localhost} that signs itself; the client trusts the CA, which did
     * not sign it, so the chain leads nowhere the client trusts.
     */
    SELF_SIGNED
  }

  private static final String PASSWORD = "smtp-double";

  private final Kind kind;
  private final KeyStore keyStore;
  private final X509Certificate serverCertificate;
  private final X509Certificate caCertificate;
  private final KeyStore trustStore;
  private final SSLContext sslContext;

  private TestCertificate(
      Kind kind, KeyStore keyStore, X509Certificate serverCertificate, X509Certificate ca) {
    this.kind = kind;
    this.keyStore = keyStore;
    this.serverCertificate = serverCertificate;
    this.caCertificate = ca;
    try {
      this.trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("smtp-double-test-ca", ca);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);
      this.sslContext = SSLContext.getInstance("TLS");
      sslContext.init(null, trust.getTrustManagers(), null);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make the trust material of a test certificate", e);
    }
  }

  /** Makes one with Bouncy Castle; the caller has checked that it is there. */
  static TestCertificate make(Kind kind) {
    CertificateMaker.Made made = CertificateMaker.make(kind, PASSWORD.toCharArray());
    return new TestCertificate(kind, made.keyStore(), made.server(), made.trustedCa());
  }

  /**
   * The certificate that the extension made for a double it started with {@link
   * SmtpServer#certificate()}: the way to reach it for a double in a field or an annotated
   * parameter (a test's own double can also take it as a {@code TestCertificate} parameter).
   *
   * <pre>{@code
   * @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.WRONG_HOST)
   * static SmtpDouble smtp;
   * ...
   * props.put("mail.smtp.ssl.socketFactory", TestCertificate.of(smtp).socketFactory());
   * }</pre>
   *
   * @param smtp a double the extension started and has not yet stopped
   * @return its certificate
   * @throws IllegalStateException when the extension did not make a certificate for this double
   */
  public static TestCertificate of(SmtpDouble smtp) {
    Objects.requireNonNull(smtp, "smtp");
    TestCertificate certificate = ServedCertificates.of(smtp);
    if (certificate == null) {
      throw new IllegalStateException(
          smtp
              + " serves no certificate made by the extension: start it with @SmtpServer(tls ="
              + " TlsMode.STARTTLS, certificate = ServerCertificate.EXPIRED) or another"
              + " certificate, or, for the double's own certificate, use smtp.clientTls()");
    }
    return certificate;
  }

  /**
   * What is wrong with it, if anything.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * These TLS settings serving this certificate: {@code tls.keyStore(keyStore(),
   * keyStorePassword())}.
   *
   * @param tls such as {@code Tls.starttls()} or {@code Tls.implicit().required()}
   * @return new settings
   */
  public Tls applyTo(Tls tls) {
    return tls.keyStore(keyStore, PASSWORD.toCharArray());
  }

  /**
   * The server's key store (PKCS12, in memory): one private key entry, {@code server}, with the
   * server certificate and, unless it is {@link Kind#SELF_SIGNED}, the CA after it. Do not change
   * it.
   *
   * @return the key store
   */
  public KeyStore keyStore() {
    return keyStore;
  }

  /**
   * The password of {@link #keyStore()} and of its key: {@code smtp-double}.
   *
   * @return a copy of the password
   */
  public char[] keyStorePassword() {
    return PASSWORD.toCharArray();
  }

  /**
   * The certificate the server presents.
   *
   * @return the certificate
   */
  public X509Certificate serverCertificate() {
    return serverCertificate;
  }

  /**
   * A client TLS context that trusts the test CA and nothing else, as a validating client would.
   *
   * @return the context
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  /**
   * The socket factory of {@link #sslContext()}, for Jakarta Mail's {@code
   * mail.smtp.ssl.socketFactory}.
   *
   * @return the factory
   */
  public SSLSocketFactory socketFactory() {
    return sslContext.getSocketFactory();
  }

  /**
   * A trust store (PKCS12, no password needed to read it) holding the test CA only.
   *
   * @return the trust store
   */
  public KeyStore trustStore() {
    return trustStore;
  }

  /**
   * The test CA that clients trust. It issued the server certificate, except a {@link
   * Kind#SELF_SIGNED} one.
   *
   * @return the CA certificate
   */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /**
   * {@link #caCertificate()} as PEM text, for Python's {@code ssl.create_default_context(cadata=
   * ...)} or curl's {@code --cacert}.
   *
   * @return the PEM text
   */
  public String caCertificatePem() {
    try {
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(caCertificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code TestCertificate{EXPIRED, CN=localhost, valid 2026-01-01T10:00:00Z to
   * 2026-01-30T10:00:00Z}}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "TestCertificate{"
        + kind
        + ", "
        + serverCertificate.getSubjectX500Principal().getName()
        + ", valid "
        + serverCertificate.getNotBefore().toInstant()
        + " to "
        + serverCertificate.getNotAfter().toInstant()
        + "}";
  }
}
