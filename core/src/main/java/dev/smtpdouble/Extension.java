package dev.smtpdouble;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The ESMTP extensions the double can advertise in its EHLO reply. By default it offers all of
 * them; {@link SmtpDouble.Builder#extensions(Extension...)} picks a subset, to see how a client
 * copes without, say, {@link #PIPELINING} or {@link #EIGHT_BIT_MIME}.
 *
 * <p>An extension that is not offered is not honoured either: its MAIL parameters get 555, BDAT
 * gets 502 without {@link #CHUNKING}, and replies carry no enhanced status codes without {@link
 * #ENHANCED_STATUS_CODES}.
 *
 * @since 0.1
 */
public enum Extension {
  /** {@code SIZE} (RFC 1870): the size limit, and the {@code SIZE=} parameter of MAIL. */
  SIZE("SIZE"),
  /** {@code 8BITMIME} (RFC 6152): the {@code BODY=8BITMIME} parameter. */
  EIGHT_BIT_MIME("8BITMIME"),
  /** {@code PIPELINING} (RFC 2920): batches of commands without waiting for each reply. */
  PIPELINING("PIPELINING"),
  /** {@code SMTPUTF8} (RFC 6531): UTF-8 addresses and headers. */
  SMTPUTF8("SMTPUTF8"),
  /** {@code ENHANCEDSTATUSCODES} (RFC 2034): codes such as 5.1.1 in replies. */
  ENHANCED_STATUS_CODES("ENHANCEDSTATUSCODES"),
  /** {@code CHUNKING} (RFC 3030): the BDAT command. */
  CHUNKING("CHUNKING"),
  /** {@code BINARYMIME} (RFC 3030): {@code BODY=BINARYMIME}, with BDAT only. */
  BINARY_MIME("BINARYMIME"),
  /** {@code DSN} (RFC 3461): the RET, ENVID, NOTIFY and ORCPT parameters. */
  DSN("DSN");

  private final String keyword;

  Extension(String keyword) {
    this.keyword = keyword;
  }

  /**
   * The EHLO keyword, for instance {@code 8BITMIME}.
   *
   * @return the keyword
   */
  public String keyword() {
    return keyword;
  }

  /**
   * Looks an EHLO keyword up, case-insensitively.
   *
   * @param keyword a keyword such as {@code "pipelining"}
   * @return the extension, or empty for a keyword the double does not implement
   */
  public static Optional<Extension> fromKeyword(String keyword) {
    String upper = keyword.toUpperCase(Locale.ROOT);
    for (Extension extension : values()) {
      if (extension.keyword.equals(upper)) {
        return Optional.of(extension);
      }
    }
    return Optional.empty();
  }

  /**
   * Every extension: what the double offers unless told otherwise.
   *
   * @return a new mutable set of all extensions
   */
  public static Set<Extension> all() {
    return EnumSet.allOf(Extension.class);
  }
}
