package dev.smtpdouble;

import java.util.Locale;
import java.util.Optional;

/**
 * The SASL mechanisms the double's AUTH (RFC 4954) can offer. Each one checks the credentials
 * configured with {@link SmtpDouble.Builder#user(String, String)}.
 *
 * @since 0.1
 */
public enum AuthMechanism {
  /** RFC 4616: {@code authzid NUL authcid NUL password} in base64, in one step. */
  PLAIN("PLAIN", true),
  /** The widespread "LOGIN" mechanism: user name and password each in base64, on request. */
  LOGIN("LOGIN", true),
  /** RFC 2195: an HMAC-MD5 of a server challenge; the password never crosses the wire. */
  CRAM_MD5("CRAM-MD5", false),
  /** Google's and Microsoft's OAuth 2.0 bearer token mechanism; the secret is the token. */
  XOAUTH2("XOAUTH2", true);

  private final String keyword;
  private final boolean plaintext;

  AuthMechanism(String keyword, boolean plaintext) {
    this.keyword = keyword;
    this.plaintext = plaintext;
  }

  /**
   * The name in the EHLO reply and the AUTH command, such as {@code CRAM-MD5}.
   *
   * @return the keyword
   */
  public String keyword() {
    return keyword;
  }

  /**
   * Whether the secret crosses the wire readable (base64 is no protection): such mechanisms
   * belong on encrypted sessions (RFC 4954 §4, 538 5.7.11).
   *
   * @return true for PLAIN, LOGIN and XOAUTH2
   */
  public boolean plaintext() {
    return plaintext;
  }

  /**
   * Looks a mechanism name up, case-insensitively.
   *
   * @param keyword such as {@code "plain"}
   * @return the mechanism, or empty when the double does not implement it
   */
  public static Optional<AuthMechanism> fromKeyword(String keyword) {
    String upper = keyword.toUpperCase(Locale.ROOT);
    for (AuthMechanism mechanism : values()) {
      if (mechanism.keyword.equals(upper)) {
        return Optional.of(mechanism);
      }
    }
    return Optional.empty();
  }
}
