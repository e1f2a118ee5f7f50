package dev.smtpdouble.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of a double: the server context that serves a key and its chain, and the
 * client trust material matching it. The double's own certificate (a test CA and a leaf for
 * localhost, 127.0.0.1 and ::1, valid 2025–2124, made by {@code core/src/etc/make-default-certificate.sh})
 * is loaded once, on first use.
 */
public final class TlsSupport {
  private static final String DEFAULT_STORE = "localhost.p12";
  private static final char[] DEFAULT_PASSWORD = "smtp-double".toCharArray();

  private final SSLContext serverContext;
  private final SSLContext clientContext;
  private final KeyStore trustStore;
  private final X509Certificate anchor;

  private TlsSupport(
      SSLContext serverContext, SSLContext clientContext, KeyStore trustStore, X509Certificate anchor) {
    this.serverContext = serverContext;
    this.clientContext = clientContext;
    this.trustStore = trustStore;
    this.anchor = anchor;
  }

  private static final class Default {
    static final TlsSupport INSTANCE = load();

    private static TlsSupport load() {
      try (InputStream in = TlsSupport.class.getResourceAsStream(DEFAULT_STORE)) {
        if (in == null) {
          throw new IllegalStateException("the default certificate is missing from the jar");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, DEFAULT_PASSWORD);
        return of(store, DEFAULT_PASSWORD);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot load the default certificate", e);
      }
    }
  }

  /**
   * The double's own certificate.
   *
   * @return the material, loaded once
   */
  public static TlsSupport defaultCertificate() {
    return Default.INSTANCE;
  }

  /**
   * Material for a key store holding one private key entry with its chain.
   *
   * @param store the key store
   * @param password the store's and the key's password
   * @return the material
   * @throws IllegalArgumentException when the store has no usable key entry
   */
  public static TlsSupport of(KeyStore store, char[] password) {
    try {
      X509Certificate[] chain = chain(store);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(keys.getKeyManagers(), null, null);
      X509Certificate anchor = chain[chain.length - 1];
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("smtp-double-ca", anchor);
      TrustManagerFactory trusts =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trusts.init(trust);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, trusts.getTrustManagers(), null);
      return new TlsSupport(server, client, trust, anchor);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use the key store for TLS: " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] chain(KeyStore store) throws GeneralSecurityException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        Certificate[] certificates = store.getCertificateChain(alias);
        if (certificates != null && certificates.length > 0) {
          X509Certificate[] chain = new X509Certificate[certificates.length];
          for (int i = 0; i < certificates.length; i++) {
            chain[i] = (X509Certificate) certificates[i];
          }
          return chain;
        }
      }
    }
    throw new IllegalArgumentException("the key store holds no private key with a certificate chain");
  }

  /**
   * The server context.
   *
   * @return the context serving the key
   */
  public SSLContext serverContext() {
    return serverContext;
  }

  /**
   * A client context trusting the chain's anchor.
   *
   * @return the context
   */
  public SSLContext clientContext() {
    return clientContext;
  }

  /**
   * A trust store holding the anchor.
   *
   * @return the store
   */
  public KeyStore trustStore() {
    return trustStore;
  }

  /**
   * The anchor: the last certificate of the chain.
   *
   * @return the certificate
   */
  public X509Certificate anchor() {
    return anchor;
  }
}
