package dev.smtpdouble.assertj;

import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.api.StandardSoftAssertionsProvider;

/**
 * Soft assertions with the smtp-double assertions and all of AssertJ's standard ones: every failure
 * is collected, and {@link #assertAll()} reports them together.
 *
 * <pre>{@code
 * SmtpSoftAssertions.assertSoftly(softly -> {
 *   softly.assertThat(smtp).hasReceived(2).hasNoViolations();
 *   softly.assertThat(smtp.messages().get(0)).hasSubject("Welcome").isAccepted();
 *   softly.assertThat(smtp.transcript()).containsExchange("QUIT", 221);
 * });
 * }</pre>
 *
 * <p>With AssertJ's {@code SoftAssertionsExtension} it can be injected:
 * {@code @InjectSoftAssertions SmtpSoftAssertions softly;}.
 *
 * @since 0.1
 */
public class SmtpSoftAssertions extends AbstractSoftAssertions
    implements SmtpSoftAssertionsProvider, StandardSoftAssertionsProvider {

  /** Creates an empty collector of failures. */
  public SmtpSoftAssertions() {}

  /**
   * Runs soft assertions and then {@link #assertAll()}.
   *
   * @param softly the assertions
   * @throws AssertionError reporting every failure collected
   */
  public static void assertSoftly(Consumer<SmtpSoftAssertions> softly) {
    SoftAssertionsProvider.assertSoftly(SmtpSoftAssertions.class, softly);
  }
}
