package dev.smtpdouble.junit5;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The TLS, AUTH and strictness settings of one double as its annotations say, layered like the rest
 * of {@link ServerOptions}: every attribute an annotation sets overrides what came before. Unset,
 * they leave the builder's defaults: no TLS, no AUTH, lenient.
 *
 * @param tls the TLS mode
 * @param requireTls whether MAIL and AUTH need TLS first
 * @param hideStarttls whether STARTTLS goes unadvertised
 * @param certificate the certificate served
 * @param users the AUTH users, name to secret, in order; empty when unset
 * @param authMechanisms the SASL mechanisms; empty when unset
 * @param requireAuth whether MAIL needs AUTH first
 * @param plaintextAuthNeedsTls whether PLAIN, LOGIN and XOAUTH2 need TLS first
 * @param showSecrets whether the transcript shows AUTH secrets
 * @param strict whether client violations are refused
 * @param checkHeaders whether messages without Date, From or Message-ID are violations
 */
record SessionOptions(
    TlsMode tls,
    Toggle requireTls,
    Toggle hideStarttls,
    ServerCertificate certificate,
    Map<String, String> users,
    Set<AuthMechanism> authMechanisms,
    Toggle requireAuth,
    Toggle plaintextAuthNeedsTls,
    Toggle showSecrets,
    Toggle strict,
    Toggle checkHeaders) {

  static final SessionOptions DEFAULTS =
      new SessionOptions(
          TlsMode.DEFAULT,
          Toggle.DEFAULT,
          Toggle.DEFAULT,
          ServerCertificate.DEFAULT,
          Map.of(),
          Set.of(),
          Toggle.DEFAULT,
          Toggle.DEFAULT,
          Toggle.DEFAULT,
          Toggle.DEFAULT,
          Toggle.DEFAULT);

  SessionOptions {
    users = Collections.unmodifiableMap(new LinkedHashMap<>(users)); // in the annotation's order
    authMechanisms = authMechanisms.isEmpty() ? Set.of() : EnumSet.copyOf(authMechanisms);
  }

  /**
   * These options refined by an annotation.
   *
   * @throws ExtensionConfigurationException when a user is malformed
   */
  SessionOptions with(SmtpServer annotation, String where) {
    return new SessionOptions(
        annotation.tls() != TlsMode.DEFAULT ? annotation.tls() : tls,
        pick(annotation.requireTls(), requireTls),
        pick(annotation.hideStarttls(), hideStarttls),
        annotation.certificate() != ServerCertificate.DEFAULT
            ? annotation.certificate()
            : certificate,
        annotation.users().length > 0 ? users(annotation.users(), where) : users,
        annotation.authMechanisms().length > 0
            ? EnumSet.copyOf(Arrays.asList(annotation.authMechanisms()))
            : authMechanisms,
        pick(annotation.requireAuth(), requireAuth),
        pick(annotation.plaintextAuthNeedsTls(), plaintextAuthNeedsTls),
        pick(annotation.showSecrets(), showSecrets),
        pick(annotation.strict(), strict),
        pick(annotation.checkHeaders(), checkHeaders));
  }

  private static Toggle pick(Toggle set, Toggle before) {
    return set != Toggle.DEFAULT ? set : before;
  }

  private static Map<String, String> users(String[] entries, String where) {
    Map<String, String> users = new LinkedHashMap<>();
    for (String entry : entries) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new ExtensionConfigurationException(
            "@SmtpServer on "
                + where
                + " has a malformed user: users must be \"name:secret\", but one was \""
                + entry
                + "\"");
      }
      users.put(entry.substring(0, colon), entry.substring(colon + 1));
    }
    return users;
  }

  /** Whether TLS is on. */
  private boolean tlsOn() {
    return tls == TlsMode.STARTTLS || tls == TlsMode.IMPLICIT;
  }

  /** The kind of certificate to make for the double, or null for the double's own. */
  TestCertificate.Kind certificateToMake() {
    return tlsOn() ? certificate.kind() : null;
  }

  /**
   * Checks that the settings fit together, in the annotation's words rather than the builder's.
   *
   * @throws ExtensionConfigurationException when they do not
   */
  void check(String where) {
    // An explicit OFF switches TLS off with everything that goes with it, so that a method can
    // opt out of its class's TLS; without any tls attribute, these settings are a mistake.
    if (tls == TlsMode.DEFAULT) {
      String needsTls =
          requireTls == Toggle.ON
              ? "requireTls = Toggle.ON"
              : hideStarttls == Toggle.ON
                  ? "hideStarttls = Toggle.ON"
                  : certificate.kind() != null
                      ? "certificate = ServerCertificate." + certificate
                      : null;
      if (needsTls != null) {
        throw new ExtensionConfigurationException(
            "@SmtpServer on "
                + where
                + " sets "
                + needsTls
                + " without TLS: add tls = TlsMode.STARTTLS or tls = TlsMode.IMPLICIT");
      }
    }
    if (requireAuth == Toggle.ON && users.isEmpty()) {
      throw new ExtensionConfigurationException(
          "@SmtpServer on "
              + where
              + " sets requireAuth = Toggle.ON without users: add users = \"name:secret\"");
    }
    if (certificateToMake() != null && !TestCertificates.available()) {
      throw new ExtensionConfigurationException(
          "@SmtpServer on "
              + where
              + " asks for certificate = ServerCertificate."
              + certificate
              + ", but "
              + TestCertificates.missingMessage());
    }
  }

  /**
   * Applies these settings to a builder.
   *
   * @param builder the builder
   * @param made the certificate made for this double, or null for the double's own
   */
  void apply(SmtpDouble.Builder builder, TestCertificate made) {
    if (tlsOn()) {
      Tls settings = tls == TlsMode.IMPLICIT ? Tls.implicit() : Tls.starttls();
      if (requireTls == Toggle.ON) {
        settings = settings.required();
      }
      if (hideStarttls == Toggle.ON) {
        settings = settings.hidden();
      }
      if (made != null) {
        settings = made.applyTo(settings);
      }
      builder.tls(settings);
    }
    users.forEach(builder::user);
    if (!authMechanisms.isEmpty()) {
      builder.authMechanisms(authMechanisms.toArray(AuthMechanism[]::new));
    }
    if (requireAuth == Toggle.ON) {
      builder.requireAuth();
    }
    if (plaintextAuthNeedsTls == Toggle.ON) {
      builder.plaintextAuthNeedsTls();
    }
    if (showSecrets == Toggle.ON) {
      builder.showSecrets();
    }
    if (strict == Toggle.ON) {
      builder.strict();
    }
    if (checkHeaders == Toggle.ON) {
      builder.checkHeaders();
    }
  }
}
