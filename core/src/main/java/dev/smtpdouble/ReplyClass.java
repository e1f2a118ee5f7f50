package dev.smtpdouble;

/**
 * The class of an SMTP reply: what its first digit tells a client (RFC 5321 §4.2.1).
 *
 * <p>A client that does not know a reply code must act on its first digit alone, so the class is
 * the one thing about a reply that is always meaningful.
 *
 * @since 0.1
 */
public enum ReplyClass {
  /** 2xx: the command was carried out. */
  POSITIVE_COMPLETION(
      2,
      "positive completion",
      "the command succeeded; the client may go on with its next command"),
  /** 3xx: the command was accepted so far, and the server waits for more from the client. */
  POSITIVE_INTERMEDIATE(
      3,
      "positive intermediate",
      "the command was accepted so far, but the server needs more input before it can complete"
          + " it (the message after DATA, or the next response during AUTH)"),
  /** 4xx: the command failed for now; the same request may succeed later. */
  TRANSIENT_NEGATIVE(
      4,
      "transient negative completion",
      "the command failed for now; the same request may succeed later, so a client should retry"
          + " after a while"),
  /** 5xx: the command failed and will fail again if repeated unchanged. */
  PERMANENT_NEGATIVE(
      5,
      "permanent negative completion",
      "the command failed and will fail again if repeated unchanged; the client must change the"
          + " request (address, content, credentials) instead of retrying");

  private final int digit;
  private final String description;
  private final String meaning;

  ReplyClass(int digit, String description, String meaning) {
    this.digit = digit;
    this.description = description;
    this.meaning = meaning;
  }

  /**
   * The class of a reply code, from its first digit.
   *
   * @param code a reply code from 200 to 599, for instance 354
   * @return the class of the code
   * @throws IllegalArgumentException when the code is outside 200 to 599
   */
  public static ReplyClass of(int code) {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException(
          code + " is not an SMTP reply code: reply codes run from 200 to 599");
    }
    return values()[code / 100 - 2];
  }

  /**
   * The first digit of the codes in this class.
   *
   * @return 2, 3, 4 or 5
   */
  public int digit() {
    return digit;
  }

  /**
   * The class's name in lower case, as RFC 5321 names it, for instance {@code "positive
   * completion"}.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * One sentence on what a reply of this class tells a client.
   *
   * @return the meaning, starting in lower case and without a final period
   */
  public String meaning() {
    return meaning;
  }
}
