package dev.smtpdouble;

import dev.smtpdouble.internal.tls.TlsSupport;
import java.security.KeyStore;
import java.util.Objects;

/**
 * How a double offers TLS: STARTTLS (RFC 3207) on the plain port, or implicit TLS from the first
 * byte (SMTPS, RFC 8314), optionally required before MAIL and AUTH, optionally not advertised. By
 * default the double serves its own certificate for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}, issued by a test CA whose trust material {@link SmtpDouble#clientTls()} hands to
 * the client, so tests never need "trust all".
 *
 * <pre>{@code
 * SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().required()).start();
 * props.put("mail.smtp.starttls.enable", "true");
 * props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
 * }</pre>
 *
 * <p>Values are immutable; each method returns a new one.
 *
 * @since 0.1
 */
public final class Tls {

  /** STARTTLS on a plain connection, or TLS from the first byte. */
  public enum Mode {
    /** Plain connection; the client may upgrade with STARTTLS. */
    STARTTLS,
    /** TLS from the first byte (SMTPS, usually port 465). */
    IMPLICIT
  }

  private final Mode mode;
  private final boolean required;
  private final boolean advertised;
  private final KeyStore keyStore;
  private final char[] password;

  private Tls(Mode mode, boolean required, boolean advertised, KeyStore keyStore, char[] password) {
    this.mode = mode;
    this.required = required;
    this.advertised = advertised;
    this.keyStore = keyStore;
    this.password = password;
  }

  /**
   * STARTTLS offered in the EHLO reply, with the double's own certificate, not required.
   *
   * @return the settings
   */
  public static Tls starttls() {
    return new Tls(Mode.STARTTLS, false, true, null, null);
  }

  /**
   * Implicit TLS (SMTPS): the connection is TLS from the first byte.
   *
   * @return the settings
   */
  public static Tls implicit() {
    return new Tls(Mode.IMPLICIT, false, true, null, null);
  }

  /**
   * TLS required: MAIL and AUTH before STARTTLS get {@code 530 5.7.0 Must issue a STARTTLS
   * command first}.
   *
   * @return new settings
   */
  public Tls required() {
    return new Tls(mode, true, advertised, keyStore, password);
  }

  /**
   * STARTTLS accepted but not advertised in the EHLO reply: does the client try it anyway?
   *
   * @return new settings
   */
  public Tls hidden() {
    return new Tls(mode, required, false, keyStore, password);
  }

  /**
   * Serves this key store's key and certificate chain instead of the double's own.
   *
   * @param store a key store with one private key entry
   * @param storePassword the password of the store and of its key
   * @return new settings
   */
  public Tls keyStore(KeyStore store, char[] storePassword) {
    return new Tls(
        mode,
        required,
        advertised,
        Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(storePassword, "storePassword").clone());
  }

  /**
   * STARTTLS or implicit.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * Whether MAIL and AUTH need TLS first.
   *
   * @return true when required
   */
  public boolean isRequired() {
    return required;
  }

  /**
   * Whether STARTTLS is advertised in the EHLO reply.
   *
   * @return true unless {@link #hidden()}
   */
  public boolean isAdvertised() {
    return advertised;
  }

  /**
   * Whether the double's own certificate is served.
   *
   * @return true unless {@link #keyStore} was given
   */
  public boolean usesDefaultCertificate() {
    return keyStore == null;
  }

  TlsSupport support() {
    return keyStore == null ? TlsSupport.defaultCertificate() : TlsSupport.of(keyStore, password);
  }

  /**
   * {@code Tls{STARTTLS, required, advertised, default certificate}}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Tls{"
        + mode
        + (required ? ", required" : "")
        + (advertised ? ", advertised" : ", hidden")
        + (keyStore == null ? ", default certificate" : ", own key store")
        + "}";
  }
}
