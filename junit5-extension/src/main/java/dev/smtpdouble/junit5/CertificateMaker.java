package dev.smtpdouble.junit5;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the certificates of {@link TestCertificates} with Bouncy Castle. The only class that refers
 * to Bouncy Castle types: {@link TestCertificates} checks that Bouncy Castle is there before it
 * loads this one. Keys are EC P-256 (fast to make), signatures SHA256withECDSA; the JDK's own
 * providers do the cryptography, so no provider is registered anywhere.
 */
final class CertificateMaker {
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateMaker() {}

  /** What was made: the server's key store and the CA a validating client trusts. */
  record Made(KeyStore keyStore, X509Certificate server, X509Certificate trustedCa) {}

  /**
   * Makes a fresh CA and a server certificate of the given kind, in a PKCS12 key store.
   *
   * @param kind what is wrong with the certificate, if anything
   * @param password the key store's and the key's password
   * @return the key store and the certificates
   * @throws IllegalStateException when the JDK lacks EC or PKCS12 (it never does)
   */
  static Made make(TestCertificate.Kind kind, char[] password) {
    try {
      Instant now = Instant.now();
      KeyPair caKeys = keys();
      X509Certificate ca = ca(caKeys, now);
      KeyPair serverKeys = keys();
      X509Certificate server;
      X509Certificate[] chain;
      if (kind == TestCertificate.Kind.SELF_SIGNED) {
        server = selfSigned(serverKeys, now);
        chain = new X509Certificate[] {server};
      } else {
        server = server(kind, serverKeys.getPublic(), ca, caKeys.getPrivate(), now);
        chain = new X509Certificate[] {server, ca};
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", serverKeys.getPrivate(), password, chain);
      return new Made(store, server, ca);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a " + kind + " test certificate", e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  /** A CA valid from 60 days ago for a year, so that it spans every server certificate. */
  private static X509Certificate ca(KeyPair keys, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name name = new X500Name("CN=smtp-double fault-test CA " + serial().toString(16));
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial(),
            date(now, Duration.ofDays(-60)),
            date(now, Duration.ofDays(365)),
            name,
            keys.getPublic());
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
    return certificate(builder, keys.getPrivate());
  }

  private static X509Certificate server(
      TestCertificate.Kind kind, PublicKey key, X509Certificate ca, PrivateKey caKey, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Date notBefore;
    Date notAfter;
    switch (kind) {
      case EXPIRED -> {
        notBefore = date(now, Duration.ofDays(-30));
        notAfter = date(now, Duration.ofDays(-1));
      }
      case NOT_YET_VALID -> {
        notBefore = date(now, Duration.ofDays(1));
        notAfter = date(now, Duration.ofDays(30));
      }
      default -> {
        notBefore = date(now, Duration.ofDays(-1));
        notAfter = date(now, Duration.ofDays(30));
      }
    }
    boolean wrongHost = kind == TestCertificate.Kind.WRONG_HOST;
    X500Name subject =
        new X500Name("CN=" + (wrongHost ? TestCertificates.WRONG_HOST_NAME : "localhost"));
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(ca, serial(), notBefore, notAfter, subject, key);
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(Extension.subjectAlternativeName, false, names(wrongHost));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
    builder.addExtension(
        Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
    return certificate(builder, caKey);
  }

  /** A certificate for localhost that signs itself: nothing a client trusts vouches for it. */
  private static X509Certificate selfSigned(KeyPair keys, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name name = new X500Name("CN=localhost");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial(),
            date(now, Duration.ofDays(-1)),
            date(now, Duration.ofDays(30)),
            name,
            keys.getPublic());
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(Extension.subjectAlternativeName, false, names(false));
    builder.addExtension(
        Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
    return certificate(builder, keys.getPrivate());
  }

  private static GeneralNames names(boolean wrongHost) {
    if (wrongHost) {
      return new GeneralNames(
          new GeneralName(GeneralName.dNSName, TestCertificates.WRONG_HOST_NAME));
    }
    return new GeneralNames(
        new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
          new GeneralName(GeneralName.iPAddress, "::1")
        });
  }

  private static X509Certificate certificate(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException, OperatorCreationException {
    ContentSigner signature = new JcaContentSignerBuilder(SIGNATURE).build(signer);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signature));
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static Date date(Instant now, Duration offset) {
    return Date.from(now.plus(offset));
  }
}
