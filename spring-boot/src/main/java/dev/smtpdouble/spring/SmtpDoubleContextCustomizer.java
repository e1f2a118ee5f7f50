package dev.smtpdouble.spring;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.junit5.SmtpServerSettings;
import dev.smtpdouble.junit5.SmtpServerSettings.RunningDouble;
import dev.smtpdouble.junit5.TestCertificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the double of an {@link EnableSmtpDouble} test class before its context refreshes, puts
 * its address into the {@code Environment} and registers it as a bean that closes with the
 * context. Equal to another exactly when the annotations are, so the annotation's settings are part
 * of the context cache key.
 */
final class SmtpDoubleContextCustomizer implements ContextCustomizer {
  /** The bean of the running double, for the test execution listener. */
  static final String RUNNING_BEAN_NAME = EnableSmtpDouble.BEAN_NAME + ".running";

  private static final String PROPERTY_SOURCE_NAME = "smtpDouble";

  private final List<EnableSmtpDouble> annotations;
  private final SmtpServerSettings settings;
  private final String where;

  /**
   * Checks the annotations' settings.
   *
   * @param annotations outermost first, not empty
   * @param where the test class, for messages
   */
  SmtpDoubleContextCustomizer(List<EnableSmtpDouble> annotations, String where) {
    this.annotations = List.copyOf(annotations);
    this.where = where;
    this.settings = TestClassSettings.settings(this.annotations, where);
  }

  @Override
  public void customizeContext(
      ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
    ConfigurableEnvironment environment = context.getEnvironment();
    RunningDouble running =
        settings.start(
            "bean " + EnableSmtpDouble.BEAN_NAME,
            where,
            name -> Optional.ofNullable(environment.getProperty(name)));
    try {
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties(running)));
      ConfigurableListableBeanFactory beans = context.getBeanFactory();
      beans.registerSingleton(EnableSmtpDouble.BEAN_NAME, running.smtp());
      beans.registerSingleton(RUNNING_BEAN_NAME, running);
      if (beans instanceof DefaultSingletonBeanRegistry registry) {
        // Destroyed with the context's singletons: on close, and when the refresh fails.
        registry.registerDisposableBean(RUNNING_BEAN_NAME, running::close);
      } else {
        context.addApplicationListener(
            (ApplicationListener<ContextClosedEvent>) event -> running.close());
      }
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
  }

  /** The properties that point the application at the double. */
  private Map<String, Object> properties(RunningDouble running) {
    EnableSmtpDouble names = annotations.get(annotations.size() - 1);
    SmtpDouble smtp = running.smtp();
    Map<String, Object> properties = new LinkedHashMap<>();
    put(properties, names.hostProperty(), smtp.host());
    put(properties, names.portProperty(), smtp.port());
    String javaMail = names.javaMailProperties().isEmpty() ? "" : names.javaMailProperties() + ".";
    String[] user = firstUser();
    if (user != null) {
      put(properties, names.usernameProperty(), user[0]);
      put(properties, names.passwordProperty(), user[1]);
      putJavaMail(properties, javaMail, "mail.smtp.auth", "true");
    }
    // The running double's TLS, not the annotation's tls: a persona's counts as much.
    Tls tls = smtp.settings().tls();
    if (tls != null) {
      if (tls.mode() == Tls.Mode.IMPLICIT) {
        putJavaMail(properties, javaMail, "mail.smtp.ssl.enable", "true");
      } else {
        putJavaMail(properties, javaMail, "mail.smtp.starttls.enable", "true");
        putJavaMail(properties, javaMail, "mail.smtp.starttls.required", "true");
      }
      String bundle = names.sslBundle();
      if (!bundle.isEmpty()) {
        String ca =
            running
                .certificate()
                .map(TestCertificate::caCertificatePem)
                .orElseGet(() -> smtp.clientTls().certificatePem());
        properties.put("spring.ssl.bundle.pem." + bundle + ".truststore.certificate", ca);
        properties.put("spring.mail.ssl.bundle", bundle);
      }
    }
    return properties;
  }

  /** The first user of the innermost annotation that names users, as name and secret. */
  private String[] firstUser() {
    for (int i = annotations.size() - 1; i >= 0; i--) {
      String[] users = annotations.get(i).users();
      if (users.length > 0) {
        // already checked: "name:secret", the secret everything after the first colon
        int colon = users[0].indexOf(':');
        return new String[] {users[0].substring(0, colon), users[0].substring(colon + 1)};
      }
    }
    return null;
  }

  private static void put(Map<String, Object> properties, String name, Object value) {
    if (!name.isEmpty()) {
      properties.put(name, value);
    }
  }

  private static void putJavaMail(
      Map<String, Object> properties, String prefix, String name, String value) {
    if (!prefix.isEmpty()) {
      properties.put(prefix + name, value);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SmtpDoubleContextCustomizer
        && ((SmtpDoubleContextCustomizer) other).annotations.equals(annotations);
  }

  @Override
  public int hashCode() {
    return annotations.hashCode();
  }

  @Override
  public String toString() {
    return "SmtpDoubleContextCustomizer" + annotations;
  }
}
