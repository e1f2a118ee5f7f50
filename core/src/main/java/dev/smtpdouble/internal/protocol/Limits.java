package dev.smtpdouble.internal.protocol;

import java.util.List;

/**
 * Stateful limits consulted where a session is about to accept: at MAIL, at RCPT and at the end of
 * the data. Each check gets the reply the session would send and returns it, or a refusal that
 * replaces it (a rule of the script still wins over either). A provider persona implements it;
 * without one, {@link #NONE} accepts everything. Implementations are shared by all sessions of a
 * double and must be thread-safe.
 */
public interface Limits {
  /** No limits. */
  Limits NONE = new Limits() {};

  /**
   * A session authenticated.
   *
   * @param session the session, as identity
   * @param user the user it authenticated as
   */
  default void authenticated(Object session, String user) {}

  /**
   * A session ended.
   *
   * @param session the session, as identity
   */
  default void ended(Object session) {}

  /**
   * MAIL is about to be accepted.
   *
   * @param session the session
   * @param user the authenticated user, or empty
   * @param sender the reverse path
   * @param accept the positive reply the session would send
   * @return {@code accept}, or a refusal
   */
  default EncodedReply atMail(Object session, String user, String sender, EncodedReply accept) {
    return accept;
  }

  /**
   * RCPT is about to be accepted.
   *
   * @param session the session
   * @param user the authenticated user, or empty
   * @param recipient the recipient
   * @param accepted how many recipients the transaction has so far
   * @param accept the positive reply the session would send
   * @return {@code accept}, or a refusal
   */
  default EncodedReply atRcpt(
      Object session, String user, String recipient, int accepted, EncodedReply accept) {
    return accept;
  }

  /**
   * A message is about to be accepted at the end of its data; when this returns {@code accept},
   * the message counts against the limits.
   *
   * @param session the session
   * @param user the authenticated user, or empty
   * @param sender the reverse path
   * @param recipients the recipients
   * @param accept the positive reply the session would send
   * @return {@code accept}, or a refusal
   */
  default EncodedReply atEndOfData(
      Object session, String user, String sender, List<String> recipients, EncodedReply accept) {
    return accept;
  }

  /** Forgets every count (for {@code SmtpDouble.reset()}); open sessions stay counted. */
  default void reset() {}
}
