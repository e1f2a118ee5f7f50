package dev.smtpdouble.junit5;

import dev.smtpdouble.SmtpDouble;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@link SmtpServer} settings applied outside JUnit's extension model: how an integration with
 * another test framework (smtp-double's Spring Boot module and its {@code @EnableSmtpDouble})
 * checks the same attributes, starts the same doubles and reports failures in the same way as
 * {@code @SmtpServer}. Tests use {@code @SmtpServer} instead. Immutable.
 *
 * <pre>{@code
 * SmtpServerSettings settings =
 *     SmtpServerSettings.defaults().with(annotation, "EnableSmtpDouble", "class [SignupTest]");
 * SmtpServerSettings.RunningDouble running =
 *     settings.start("bean smtpDouble", "class [SignupTest]",
 *         name -> Optional.ofNullable(environment.getProperty(name)));
 * }</pre>
 *
 * @since 0.1
 */
public final class SmtpServerSettings {
  private static final SmtpServerSettings DEFAULTS = new SmtpServerSettings(ServerOptions.DEFAULTS);
  private static final String OWN_NAME = "SmtpServer";

  private final ServerOptions options;

  private SmtpServerSettings(ServerOptions options) {
    this.options = options;
  }

  /**
   * The settings of an {@code @SmtpServer} with no attributes set.
   *
   * @return the defaults
   */
  public static SmtpServerSettings defaults() {
    return DEFAULTS;
  }

  /**
   * These settings refined by an annotation, as a method's {@code @SmtpServer} refines its
   * class's: its script lines added after these, every other attribute it sets overriding. Checks
   * the annotation now, so a mistake fails before any double starts.
   *
   * @param annotation the annotation, or one synthesized from an annotation with the same
   *     attributes
   * @param annotationName the annotation the user wrote, without {@code @}, for messages: {@code
   *     "EnableSmtpDouble"}
   * @param where the annotated element, for messages: {@code "class [com.example.SignupTest]"}
   * @return the refined settings
   * @throws ExtensionConfigurationException when an attribute is malformed or the attributes do
   *     not fit together, saying what to change
   */
  public SmtpServerSettings with(SmtpServer annotation, String annotationName, String where) {
    Objects.requireNonNull(annotation, "annotation");
    try {
      return new SmtpServerSettings(options.with(annotation, where));
    } catch (ExtensionConfigurationException e) {
      throw renamed(e, annotationName);
    }
  }

  /**
   * Starts a double with these settings.
   *
   * @param name which double it is, for reports: {@code "bean smtpDouble"}
   * @param where the annotated element, for messages
   * @param configuration looks up the configuration parameters named on {@link SmtpServer} (the
   *     default await timeout, {@code failOnUnusedRules}, {@code failOnViolations}) by name
   * @return the running double
   * @throws ExtensionConfigurationException when a configuration parameter is malformed
   */
  public RunningDouble start(
      String name, String where, Function<String, Optional<String>> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    return new RunningDouble(options.start(configuration, name, where));
  }

  private static ExtensionConfigurationException renamed(
      ExtensionConfigurationException e, String annotationName) {
    String message = e.getMessage();
    String own = "@" + OWN_NAME + " ";
    if (annotationName.equals(OWN_NAME) || message == null || !message.startsWith(own)) {
      return e;
    }
    return new ExtensionConfigurationException(
        "@" + annotationName + " " + message.substring(own.length()), e);
  }

  /**
   * A double started from {@link SmtpServerSettings}, with what {@code @SmtpServer} does around a
   * test: the reset before it, the report when it fails, the strictness checks when it passes.
   * {@link #close()} stops the double.
   */
  public static final class RunningDouble implements AutoCloseable {
    private final DoubleHolder holder;

    private RunningDouble(DoubleHolder holder) {
      this.holder = holder;
    }

    /**
     * The double.
     *
     * @return the running double
     */
    public SmtpDouble smtp() {
      return holder.smtp();
    }

    /**
     * The certificate made for the double ({@link SmtpServer#certificate()}), whose CA a client
     * must trust.
     *
     * @return the certificate, or empty when the double serves its own or has no TLS
     */
    public Optional<TestCertificate> certificate() {
      return Optional.ofNullable(holder.certificate());
    }

    /**
     * Resets the double for the next test, as {@code @SmtpServer} resets a static field's double:
     * once the sessions the last test ended with 221 or 421 have ended on the double's side too
     * (waiting at most a second), it drops messages, transcript and the rules added since start.
     */
    public void reset() {
      holder.reset();
    }

    /**
     * The report for a failed test: the double's address, counts and its transcript with every
     * reply code explained, trimmed to a readable size.
     *
     * @return the text, ending with a line break
     */
    public String report() {
      return holder.report();
    }

    /**
     * Attaches {@link #report()} to a test's failure, as {@code @SmtpServer} does: as a suppressed
     * exception without a stack trace, headed {@code smtp-double transcript of the failed test
     * ...}.
     *
     * @param failure the test's failure
     * @param test the test's name, such as {@code "sendsWelcome()"}
     */
    public void attachReport(Throwable failure, String test) {
      failure.addSuppressed(
          new SmtpDoubleTranscript(
              "smtp-double transcript of the failed test " + test + ":\n" + report()));
    }

    /**
     * Why a test that passed must fail after all: the rules that never acted ({@link
     * SmtpServer#failOnUnusedRules()}) and the client's violations ({@link
     * SmtpServer#failOnViolations()}), each when the settings asked for it.
     *
     * @return lines starting with {@code "- "}, or empty when the test may pass
     */
    public String strictnessProblems() {
      return holder.strictnessProblems();
    }

    /** Stops the double; idempotent, and bounded as {@link SmtpDouble#close()} is. */
    @Override
    public void close() {
      holder.close();
    }

    @Override
    public String toString() {
      return holder.toString();
    }
  }
}
