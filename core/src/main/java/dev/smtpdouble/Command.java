package dev.smtpdouble;

import java.util.Locale;
import java.util.Optional;

/**
 * The SMTP commands (and the {@link #CONNECT} pseudo-command) that rules can be attached to.
 *
 * <p>Use a constant with {@link SmtpDouble#on(Command)} or {@link SmtpDouble#after(Command)}; a
 * rule may also name any other verb as text (see {@link SmtpDouble#on(String)}), for instance an
 * extension command the double does not know.
 *
 * <pre>{@code
 * smtp.on(Command.RCPT, "*@blocked.test").reply(550, "5.1.1 No such user");
 * }</pre>
 *
 * @since 0.1
 */
public enum Command {
  /** Not a command: the moment a client connects. Rules on it replace or delay the greeting. */
  CONNECT,
  /** {@code HELO domain} (RFC 5321 §4.1.1.1). */
  HELO,
  /** {@code EHLO domain} (RFC 5321 §4.1.1.1); the reply lists the extensions. */
  EHLO,
  /** {@code MAIL FROM:<reverse-path> [parameters]} (RFC 5321 §4.1.1.2). */
  MAIL,
  /** {@code RCPT TO:<forward-path> [parameters]} (RFC 5321 §4.1.1.3). */
  RCPT,
  /** {@code DATA} (RFC 5321 §4.1.1.4); answered with 354, then the body ends with CRLF.CRLF. */
  DATA,
  /** {@code BDAT size [LAST]} (RFC 3030 CHUNKING). */
  BDAT,
  /** {@code RSET} (RFC 5321 §4.1.1.5). */
  RSET,
  /** {@code VRFY string} (RFC 5321 §4.1.1.6). */
  VRFY,
  /** {@code EXPN string} (RFC 5321 §4.1.1.7). */
  EXPN,
  /** {@code HELP [string]} (RFC 5321 §4.1.1.8). */
  HELP,
  /** {@code NOOP [string]} (RFC 5321 §4.1.1.9). */
  NOOP,
  /** {@code QUIT} (RFC 5321 §4.1.1.10). */
  QUIT,
  /** {@code AUTH mechanism [initial-response]} (RFC 4954). */
  AUTH,
  /** {@code STARTTLS} (RFC 3207). */
  STARTTLS;

  /**
   * The verb as it appears on the wire and in scripts, for instance {@code "MAIL"}.
   *
   * @return the upper-case verb
   */
  public String verb() {
    return name();
  }

  /**
   * Looks a verb up case-insensitively.
   *
   * @param verb a verb such as {@code "rcpt"}
   * @return the command, or empty when the verb is not one of these constants
   */
  public static Optional<Command> fromVerb(String verb) {
    String upper = verb.toUpperCase(Locale.ROOT);
    for (Command command : values()) {
      if (command.name().equals(upper)) {
        return Optional.of(command);
      }
    }
    return Optional.empty();
  }
}
