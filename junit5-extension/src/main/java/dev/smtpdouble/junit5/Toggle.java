package dev.smtpdouble.junit5;

/**
 * An on/off attribute of {@link SmtpServer} that can also be left to the configuration: {@link
 * #DEFAULT} takes the value of the enclosing annotation (a method's annotation refines its class's)
 * or, when none sets it, of the configuration parameter named on the attribute, if it names one;
 * otherwise it is off.
 *
 * <pre>{@code
 * @SmtpServer(failOnUnusedRules = Toggle.ON)
 * }</pre>
 *
 * @since 0.1
 */
public enum Toggle {
  /** Not set here: inherit it from the class annotation or the configuration parameter. */
  DEFAULT,
  /** Switched on, whatever the configuration parameter says. */
  ON,
  /** Switched off, whatever the configuration parameter says. */
  OFF
}
