package dev.smtpdouble.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.SecureMail;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The certificates for fault tests, made with Bouncy Castle: what they hold, and that a validating
 * client (Jakarta Mail with host name checks on and only the test CA trusted) accepts the valid one
 * and refuses each faulty one.
 */
@Timeout(60)
class TestCertificatesTest {

  @Test
  void aValidCertificateIsTrustedWithHostNameChecksOn() throws Exception {
    TestCertificate certificate = TestCertificates.valid();
    try (SmtpDouble smtp =
        SmtpDouble.builder().tls(certificate.applyTo(Tls.starttls().required())).start()) {
      Properties props = SecureMail.starttls(smtp, certificate.socketFactory());

      SecureMail.send(props);

      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).encrypted()).isTrue();
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void aValidCertificateNamesLocalhostAndTheLoopbackAddressesAndChainsToTheCa() throws Exception {
    TestCertificate certificate = TestCertificates.valid();
    X509Certificate server = certificate.serverCertificate();
    X509Certificate ca = certificate.caCertificate();

    assertThat(certificate.kind()).isEqualTo(TestCertificate.Kind.VALID);
    assertThat(names(server)).containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    server.verify(ca.getPublicKey());
    server.checkValidity();
    ca.checkValidity();
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();

    assertThat(certificate.keyStore().getCertificateChain("server")).containsExactly(server, ca);
    assertThat(certificate.keyStore().getKey("server", certificate.keyStorePassword())).isNotNull();
    assertThat(certificate.trustStore().size()).isEqualTo(1);
    assertThat(certificate.trustStore().getCertificate("smtp-double-test-ca")).isEqualTo(ca);
    assertThat(parse(certificate.caCertificatePem())).isEqualTo(ca);
    assertThat(certificate.caCertificatePem())
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("\n-----END CERTIFICATE-----\n");
    assertThat(certificate.toString()).startsWith("TestCertificate{VALID, CN=localhost, valid ");
  }

  @Test
  void eachCertificateHasItsOwnCa() {
    TestCertificate one = TestCertificates.valid();
    TestCertificate other = TestCertificates.valid();

    assertThat(one.caCertificate()).isNotEqualTo(other.caCertificate());
    assertThat(one.caCertificate().getSubjectX500Principal())
        .isNotEqualTo(other.caCertificate().getSubjectX500Principal());
  }

  @Test
  void theKeyStorePasswordIsACopy() {
    TestCertificate certificate = TestCertificates.valid();
    char[] password = certificate.keyStorePassword();
    password[0] = 'X';

    assertThat(certificate.keyStorePassword()).isEqualTo("smtp-double".toCharArray());
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    TestCertificate certificate = TestCertificates.expired();
    assertThat(certificate.serverCertificate().getNotAfter()).isBefore(new Date());
    assertThatThrownBy(() -> certificate.serverCertificate().checkValidity())
        .isInstanceOf(CertificateExpiredException.class);

    try (SmtpDouble smtp =
        SmtpDouble.builder().tls(certificate.applyTo(Tls.starttls().required())).start()) {
      Properties props = SecureMail.starttls(smtp, certificate.socketFactory());

      assertThatThrownBy(() -> SecureMail.send(props))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("CertificateExpiredException");

      assertHandshakeFailedWithoutMessages(smtp);
    }
  }

  @Test
  void aCertificateNotYetValidIsRefused() throws Exception {
    TestCertificate certificate = TestCertificates.notYetValid();
    assertThat(certificate.serverCertificate().getNotBefore()).isAfter(new Date());
    assertThatThrownBy(() -> certificate.serverCertificate().checkValidity())
        .isInstanceOf(CertificateNotYetValidException.class);

    try (SmtpDouble smtp = SmtpDouble.builder().tls(certificate.applyTo(Tls.starttls())).start()) {
      Properties props = SecureMail.starttls(smtp, certificate.socketFactory());

      assertThatThrownBy(() -> SecureMail.send(props))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("CertificateNotYetValidException");

      assertHandshakeFailedWithoutMessages(smtp);
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefusedByTheHostNameCheck() throws Exception {
    TestCertificate certificate = TestCertificates.wrongHost();
    assertThat(names(certificate.serverCertificate())).containsExactly("wrong.example.test");
    assertThat(certificate.serverCertificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=wrong.example.test");
    // the chain itself is fine: only the name is wrong
    certificate.serverCertificate().verify(certificate.caCertificate().getPublicKey());
    certificate.serverCertificate().checkValidity();

    try (SmtpDouble smtp = SmtpDouble.builder().tls(certificate.applyTo(Tls.starttls())).start()) {
      Properties byAddress = SecureMail.starttls(smtp, certificate.socketFactory());
      assertThatThrownBy(() -> SecureMail.send(byAddress))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");

      Properties byName = SecureMail.starttls(smtp, certificate.socketFactory());
      byName.put("mail.smtp.host", "localhost");
      assertThatThrownBy(() -> SecureMail.send(byName))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("No subject alternative DNS name matching localhost found");

      // without the host name check, the same certificate passes: the check is what refuses it
      Properties unchecked = SecureMail.starttls(smtp, certificate.socketFactory());
      unchecked.put("mail.smtp.ssl.checkserveridentity", "false");
      SecureMail.send(unchecked);
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).encrypted()).isTrue();
    }
  }

  @Test
  void aSelfSignedCertificateIsNotTrusted() throws Exception {
    TestCertificate certificate = TestCertificates.selfSigned();
    X509Certificate server = certificate.serverCertificate();
    assertThat(server.getIssuerX500Principal()).isEqualTo(server.getSubjectX500Principal());
    server.verify(server.getPublicKey());
    assertThat(certificate.keyStore().getCertificateChain("server")).containsExactly(server);
    assertThat(certificate.trustStore().getCertificate("smtp-double-test-ca"))
        .isEqualTo(certificate.caCertificate())
        .isNotEqualTo(server);

    try (SmtpDouble smtp = SmtpDouble.builder().tls(certificate.applyTo(Tls.starttls())).start()) {
      Properties props = SecureMail.starttls(smtp, certificate.socketFactory());

      assertThatThrownBy(() -> SecureMail.send(props))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining("unable to find valid certification path to requested target");
      assertHandshakeFailedWithoutMessages(smtp);

      // why the trust material comes from the TestCertificate: the double trusts what it serves
      assertThat(smtp.clientTls().certificate()).isEqualTo(server);
    }
  }

  @Test
  void implicitTlsRefusesAnExpiredCertificateToo() throws Exception {
    TestCertificate certificate = TestCertificates.expired();
    try (SmtpDouble smtp = SmtpDouble.builder().tls(certificate.applyTo(Tls.implicit())).start()) {
      Properties props = SecureMail.implicit(smtp, certificate.socketFactory());

      assertThatThrownBy(() -> SecureMail.send(props))
          .hasCauseInstanceOf(SSLHandshakeException.class)
          .hasRootCauseInstanceOf(CertificateExpiredException.class)
          .hasStackTraceContaining(CertPathValidatorException.class.getName());
      assertHandshakeFailedWithoutMessages(smtp);
    }
  }

  @Test
  void createMakesEachKindAndRefusesNull() {
    for (TestCertificate.Kind kind : TestCertificate.Kind.values()) {
      assertThat(TestCertificates.create(kind).kind()).isEqualTo(kind);
    }
    assertThat(TestCertificates.available()).isTrue();
    assertThatThrownBy(() -> TestCertificates.create(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void everyServerCertificateButTheDefaultsNamesAKind() {
    assertThat(ServerCertificate.DEFAULT.kind()).isNull();
    assertThat(ServerCertificate.BUILT_IN.kind()).isNull();
    for (TestCertificate.Kind kind : TestCertificate.Kind.values()) {
      assertThat(ServerCertificate.valueOf(kind.name()).kind()).isEqualTo(kind);
    }
  }

  /**
   * Bouncy Castle is an optional dependency: without it the factories say what to add. Checked in a
   * class loader that hides the Bouncy Castle jars.
   */
  @Test
  void withoutBouncyCastleTheFactoriesSayWhatToAdd() throws Exception {
    try (URLClassLoader isolated = withoutBouncyCastle()) {
      Class<?> factories = isolated.loadClass(TestCertificates.class.getName());

      assertThat(factories.getMethod("available").invoke(null)).isEqualTo(false);
      assertThatThrownBy(() -> factories.getMethod("expired").invoke(null))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage(
              "smtp-double makes test certificates with Bouncy Castle, which is not on the class"
                  + " path: add org.bouncycastle:bcpkix-jdk18on (test scope; it brings"
                  + " bcprov-jdk18on and bcutil-jdk18on). On the module path, also add requires"
                  + " org.bouncycastle.pkix; to the test module.");
    }
  }

  @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.EXPIRED)
  static class ExpiredCertificateClass {}

  /** Without Bouncy Castle, an annotation that asks for a certificate fails before the test. */
  @Test
  void withoutBouncyCastleTheAnnotationSaysWhatToAdd() throws Exception {
    try (URLClassLoader isolated = withoutBouncyCastle()) {
      Class<? extends Annotation> annotationType =
          isolated.loadClass(SmtpServer.class.getName()).asSubclass(Annotation.class);
      Annotation annotation =
          isolated.loadClass(ExpiredCertificateClass.class.getName()).getAnnotation(annotationType);
      Class<?> options = isolated.loadClass(ServerOptions.class.getName());
      Field defaults = options.getDeclaredField("DEFAULTS");
      defaults.setAccessible(true);
      Method with = options.getDeclaredMethod("with", annotationType, String.class);
      with.setAccessible(true);

      assertThatThrownBy(() -> with.invoke(defaults.get(null), annotation, "class [Fixture]"))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .satisfies(
              e ->
                  assertThat(e.getClass().getName())
                      .isEqualTo(ExtensionConfigurationException.class.getName()))
          .hasMessage(
              "@SmtpServer on class [Fixture] asks for certificate = ServerCertificate.EXPIRED,"
                  + " but smtp-double makes test certificates with Bouncy Castle, which is not on"
                  + " the class path: add org.bouncycastle:bcpkix-jdk18on (test scope; it brings"
                  + " bcprov-jdk18on and bcutil-jdk18on). On the module path, also add requires"
                  + " org.bouncycastle.pkix; to the test module.");
    }
  }

  /** A class loader with the test class path less the Bouncy Castle jars. */
  static URLClassLoader withoutBouncyCastle() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("bouncycastle")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  private static void assertHandshakeFailedWithoutMessages(SmtpDouble smtp) {
    assertThat(smtp.messages()).isEmpty();
    SecureMail.awaitEnded(smtp);
    Transcript.Session session = smtp.transcript().sessions().get(0);
    assertThat(session.ending()).isEqualTo(Transcript.Ending.TLS_FAILED);
    assertThat(smtp.transcript().toString()).contains("* TLS handshake failed: ");
  }

  private static List<String> names(X509Certificate certificate) throws Exception {
    List<String> names = new ArrayList<>();
    Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
    for (List<?> name : alternatives) {
      names.add((String) name.get(1));
    }
    return names;
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
