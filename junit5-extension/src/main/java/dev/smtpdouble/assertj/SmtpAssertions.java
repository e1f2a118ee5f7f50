package dev.smtpdouble.assertj;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;

/**
 * The entry point of the AssertJ assertions for smtp-double. Import {@code assertThat} statically,
 * next to AssertJ's own: the overloads do not clash.
 *
 * <pre>{@code
 * import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
 *
 * assertThat(smtp).hasReceived(1).first()
 *     .hasFrom("shop@example.test").hasRecipients("alice@example.test")
 *     .hasSubject("Welcome").bodyContains("Hello Alice");
 * assertThat(smtp).hasNoViolations();
 * assertThat(smtp.transcript()).containsExchange("DATA", 354);
 * }</pre>
 *
 * <p>For soft assertions use {@link SmtpSoftAssertions}, or add {@link SmtpSoftAssertionsProvider}
 * to your own soft assertions class.
 *
 * @since 0.1
 */
public class SmtpAssertions {

  /** For subclasses that add entry points of their own; the methods are static. */
  protected SmtpAssertions() {}

  /**
   * Assertions on a double: messages (waiting for them), violations, rules.
   *
   * @param actual the double
   * @return the assertions
   */
  public static SmtpDoubleAssert assertThat(SmtpDouble actual) {
    return new SmtpDoubleAssert(actual);
  }

  /**
   * Assertions on one received message.
   *
   * @param actual the message
   * @return the assertions
   */
  public static ReceivedMessageAssert assertThat(ReceivedMessage actual) {
    return new ReceivedMessageAssert(actual);
  }

  /**
   * Assertions on a transcript: commands and the replies that answered them.
   *
   * @param actual the transcript
   * @return the assertions
   */
  public static TranscriptAssert assertThat(Transcript actual) {
    return new TranscriptAssert(actual);
  }
}
