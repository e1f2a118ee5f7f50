package dev.smtpdouble;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * What a client needs to trust a double's TLS certificate, in the forms clients take: an {@link
 * SSLContext}, a socket factory (Jakarta Mail's {@code mail.smtp.ssl.socketFactory}), a trust
 * store, or PEM text (Python's {@code ssl.create_default_context(cadata=...)}, curl's {@code
 * --cacert}). It trusts exactly the double's certificate authority, so host name checks stay on.
 *
 * <pre>{@code
 * props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
 * props.put("mail.smtp.ssl.checkserveridentity", "true");
 * }</pre>
 *
 * @since 0.1
 */
public final class ClientTls {
  private final SSLContext context;
  private final KeyStore trustStore;
  private final X509Certificate anchor;

  ClientTls(SSLContext context, KeyStore trustStore, X509Certificate anchor) {
    this.context = context;
    this.trustStore = trustStore;
    this.anchor = anchor;
  }

  /**
   * A client TLS context that trusts the double's certificate authority and nothing else.
   *
   * @return the context
   */
  public SSLContext sslContext() {
    return context;
  }

  /**
   * The socket factory of {@link #sslContext()}.
   *
   * @return the factory
   */
  public SSLSocketFactory socketFactory() {
    return context.getSocketFactory();
  }

  /**
   * A trust store (PKCS12, no password needed to read it) holding the double's certificate
   * authority.
   *
   * @return the trust store
   */
  public KeyStore trustStore() {
    return trustStore;
  }

  /**
   * The certificate that anchors trust: the double's test CA, or the root of the chain in the key
   * store it was given.
   *
   * @return the certificate
   */
  public X509Certificate certificate() {
    return anchor;
  }

  /**
   * {@link #certificate()} as PEM text ({@code -----BEGIN CERTIFICATE-----} ...).
   *
   * @return the PEM text
   */
  public String certificatePem() {
    try {
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(anchor.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
