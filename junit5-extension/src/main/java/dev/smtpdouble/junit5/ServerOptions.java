package dev.smtpdouble.junit5;

import dev.smtpdouble.Extension;
import dev.smtpdouble.ScriptException;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.internal.AwaitTimeouts;
import dev.smtpdouble.junit5.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The settings of one double as its annotations say, layered: {@link #with} applies an annotation
 * over what came before (the class's, then the method's). Immutable.
 */
final class ServerOptions {
  static final ServerOptions DEFAULTS =
      new ServerOptions(
          List.of(),
          0,
          null,
          null,
          -1,
          EnumSet.allOf(Extension.class),
          null,
          null,
          -1,
          -1,
          null,
          Toggle.DEFAULT,
          Toggle.DEFAULT,
          SessionOptions.DEFAULTS,
          null);

  private final List<String> script;
  private final int port;
  private final String bindAddress;
  private final String hostname;
  private final long sizeLimit;
  private final Set<Extension> extensions;
  private final Duration idleTimeout;
  private final Duration dataTimeout;
  private final int maxSessions;
  private final int maxRecipients;
  private final Duration awaitTimeout;
  private final Toggle failOnUnusedRules;
  private final Toggle failOnViolations;
  private final SessionOptions session;
  private final String persona;

  private ServerOptions(
      List<String> script,
      int port,
      String bindAddress,
      String hostname,
      long sizeLimit,
      Set<Extension> extensions,
      Duration idleTimeout,
      Duration dataTimeout,
      int maxSessions,
      int maxRecipients,
      Duration awaitTimeout,
      Toggle failOnUnusedRules,
      Toggle failOnViolations,
      SessionOptions session,
      String persona) {
    this.script = List.copyOf(script);
    this.port = port;
    this.bindAddress = bindAddress;
    this.hostname = hostname;
    this.sizeLimit = sizeLimit;
    this.extensions = extensions.isEmpty() ? Set.of() : Set.copyOf(extensions);
    this.idleTimeout = idleTimeout;
    this.dataTimeout = dataTimeout;
    this.maxSessions = maxSessions;
    this.maxRecipients = maxRecipients;
    this.awaitTimeout = awaitTimeout;
    this.failOnUnusedRules = failOnUnusedRules;
    this.failOnViolations = failOnViolations;
    this.session = session;
    this.persona = persona;
  }

  /**
   * These options refined by an annotation: its script lines added, every attribute it sets
   * overriding.
   *
   * @param annotation the annotation
   * @param where the annotated element, for messages: {@code "method [void T.t()]"}
   * @throws ExtensionConfigurationException when an attribute is malformed
   */
  ServerOptions with(SmtpServer annotation, String where) {
    try {
      SmtpDouble.builder().script(annotation.script());
    } catch (ScriptException e) {
      throw new ExtensionConfigurationException(
          "@SmtpServer on " + where + " has a malformed script: " + e.getMessage(), e);
    }
    List<String> lines = new ArrayList<>(script);
    lines.addAll(Arrays.asList(annotation.script()));
    Set<Extension> offered =
        annotation.extensions().length == 0
            ? copy(extensions)
            : EnumSet.copyOf(Arrays.asList(annotation.extensions()));
    Arrays.asList(annotation.withoutExtensions()).forEach(offered::remove);
    ServerOptions refined =
        new ServerOptions(
            lines,
            annotation.port() != 0 ? annotation.port() : port,
            annotation.bindAddress().isEmpty() ? bindAddress : annotation.bindAddress(),
            annotation.hostname().isEmpty() ? hostname : annotation.hostname(),
            annotation.sizeLimit() != -1 ? annotation.sizeLimit() : sizeLimit,
            offered,
            duration(annotation.idleTimeout(), "idleTimeout", where, idleTimeout),
            duration(annotation.dataTimeout(), "dataTimeout", where, dataTimeout),
            annotation.maxSessions() != -1 ? annotation.maxSessions() : maxSessions,
            annotation.maxRecipients() != -1 ? annotation.maxRecipients() : maxRecipients,
            duration(annotation.awaitTimeout(), "awaitTimeout", where, awaitTimeout),
            annotation.failOnUnusedRules() != Toggle.DEFAULT
                ? annotation.failOnUnusedRules()
                : failOnUnusedRules,
            annotation.failOnViolations() != Toggle.DEFAULT
                ? annotation.failOnViolations()
                : failOnViolations,
            session.with(annotation, where),
            annotation.persona().isBlank() ? persona : annotation.persona().strip());
    refined.session.check(where);
    refined.builder(where, null); // fail now, not when the double starts
    return refined;
  }

  private static Set<Extension> copy(Set<Extension> set) {
    return set.isEmpty() ? EnumSet.noneOf(Extension.class) : EnumSet.copyOf(set);
  }

  private static Duration duration(String text, String attribute, String where, Duration before) {
    if (text.isEmpty()) {
      return before;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(
          "@SmtpServer on " + where + " has an invalid " + attribute + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts a double with these options, in a holder that the store can close.
   *
   * @param context the context whose configuration parameters fill in the defaults
   * @param name which double it is, for reports: {@code "field smtp"}
   * @param where the annotated element, for messages
   * @return the holder of the running double
   * @throws ExtensionConfigurationException when a setting or configuration parameter is invalid
   */
  DoubleHolder start(ExtensionContext context, String name, String where) {
    return start(context::getConfigurationParameter, name, where);
  }

  /**
   * Starts a double with these options, in a holder that closes it.
   *
   * @param configuration the configuration parameters that fill in the defaults, by name
   * @param name which double it is, for reports: {@code "field smtp"}
   * @param where the annotated element, for messages
   * @return the holder of the running double
   * @throws ExtensionConfigurationException when a setting or configuration parameter is invalid
   */
  DoubleHolder start(
      Function<String, Optional<String>> configuration, String name, String where) {
    Duration await = awaitTimeout != null ? awaitTimeout : awaitTimeout(configuration);
    boolean unused =
        decide(failOnUnusedRules, configuration, SmtpServer.FAIL_ON_UNUSED_RULES_PROPERTY_NAME);
    boolean violations =
        decide(failOnViolations, configuration, SmtpServer.FAIL_ON_VIOLATIONS_PROPERTY_NAME);
    TestCertificate.Kind kind = session.certificateToMake();
    TestCertificate certificate = kind == null ? null : TestCertificates.create(kind);
    SmtpDouble smtp = builder(where, certificate).start();
    AwaitTimeouts.register(smtp, await);
    return new DoubleHolder(name, smtp, unused, violations, certificate);
  }

  /**
   * A builder with these options, checked.
   *
   * @param certificate the certificate made for the double, or null for its own
   * @throws ExtensionConfigurationException when a setting is out of range
   */
  private SmtpDouble.Builder builder(String where, TestCertificate certificate) {
    SmtpDouble.Builder builder = SmtpDouble.builder().port(port);
    try {
      if (persona != null) {
        // first, so that the annotation's other settings override the persona's
        builder.script("persona " + persona);
      }
      if (bindAddress != null) {
        builder.bindAddress(bindAddress);
      }
      if (hostname != null) {
        builder.hostname(hostname);
      }
      if (sizeLimit != -1) {
        builder.sizeLimit(sizeLimit);
      }
      if (persona == null || !extensions.equals(EnumSet.allOf(Extension.class))) {
        builder.extensions(extensions);
      }
      if (idleTimeout != null) {
        builder.idleTimeout(idleTimeout);
      }
      if (dataTimeout != null) {
        builder.dataTimeout(dataTimeout);
      }
      if (maxSessions != -1) {
        builder.maxSessions(maxSessions);
      }
      if (maxRecipients != -1) {
        builder.maxRecipients(maxRecipients);
      }
      session.apply(builder, certificate);
      builder.script(script.toArray(String[]::new));
      builder.settings();
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(
          "@SmtpServer on " + where + " is invalid: " + e.getMessage(), e);
    }
    return builder;
  }

  /**
   * Checks the configuration parameters the extension reads, so that a typo fails the first class
   * that uses the extension rather than passing unnoticed.
   *
   * @param context any extension context
   * @throws ExtensionConfigurationException when a parameter is malformed
   */
  static void checkConfiguration(ExtensionContext context) {
    Function<String, Optional<String>> configuration = context::getConfigurationParameter;
    awaitTimeout(configuration);
    decide(Toggle.DEFAULT, configuration, SmtpServer.FAIL_ON_UNUSED_RULES_PROPERTY_NAME);
    decide(Toggle.DEFAULT, configuration, SmtpServer.FAIL_ON_VIOLATIONS_PROPERTY_NAME);
  }

  private static Duration awaitTimeout(Function<String, Optional<String>> configuration) {
    String name = SmtpServer.AWAIT_TIMEOUT_PROPERTY_NAME;
    return configuration
        .apply(name)
        .filter(value -> !value.isBlank())
        .map(
            value -> {
              try {
                return Durations.parse(value);
              } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(
                    "Configuration parameter " + name + " is invalid: " + e.getMessage(), e);
              }
            })
        .orElse(AwaitTimeouts.DEFAULT);
  }

  private static boolean decide(
      Toggle toggle, Function<String, Optional<String>> configuration, String parameter) {
    if (toggle != Toggle.DEFAULT) {
      return toggle == Toggle.ON;
    }
    return configuration
        .apply(parameter)
        .map(value -> value.trim().toLowerCase(Locale.ROOT))
        .filter(value -> !value.isEmpty())
        .map(
            value -> {
              if (!value.equals("true") && !value.equals("false")) {
                throw new ExtensionConfigurationException(
                    "Configuration parameter "
                        + parameter
                        + " must be true or false, but was: '"
                        + value
                        + "'");
              }
              return value.equals("true");
            })
        .orElse(false);
  }
}
