package dev.smtpdouble.assertj;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * The smtp-double assertions in soft form, to mix into a soft assertions class of your own:
 *
 * <pre>{@code
 * public class MySoftAssertions extends SoftAssertions implements SmtpSoftAssertionsProvider {}
 * }</pre>
 *
 * <p>Every failure is collected and reported by {@code assertAll()}. See {@link SmtpDoubleAssert}
 * for navigating to a message that may not exist.
 *
 * @since 0.1
 */
public interface SmtpSoftAssertionsProvider extends SoftAssertionsProvider {

  /**
   * Soft assertions on a double.
   *
   * @param actual the double
   * @return the assertions
   */
  default SmtpDoubleAssert assertThat(SmtpDouble actual) {
    return proxy(SmtpDoubleAssert.class, SmtpDouble.class, actual);
  }

  /**
   * Soft assertions on a received message.
   *
   * @param actual the message
   * @return the assertions
   */
  default ReceivedMessageAssert assertThat(ReceivedMessage actual) {
    return proxy(ReceivedMessageAssert.class, ReceivedMessage.class, actual);
  }

  /**
   * Soft assertions on a transcript.
   *
   * @param actual the transcript
   * @return the assertions
   */
  default TranscriptAssert assertThat(Transcript actual) {
    return proxy(TranscriptAssert.class, Transcript.class, actual);
  }
}
