package dev.smtpdouble.spring;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Spring's TestContext hook behind {@link EnableSmtpDouble}, registered in {@code
 * META-INF/spring.factories}: for a test class the annotation applies to, a customizer that starts
 * the double before the context and is part of the context cache key. Tests never name it.
 *
 * @since 0.1
 */
public final class SmtpDoubleContextCustomizerFactory implements ContextCustomizerFactory {

  /** Creates the factory; Spring does, from {@code META-INF/spring.factories}. */
  public SmtpDoubleContextCustomizerFactory() {}

  /**
   * A customizer for a test class with {@link EnableSmtpDouble}, its settings checked now.
   *
   * @param testClass the test class
   * @param configAttributes the class's context configuration, unused
   * @return the customizer, or null when the annotation does not apply to the class
   * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException when the annotation's
   *     attributes are malformed or do not fit together, saying what to change
   */
  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    List<EnableSmtpDouble> annotations = TestClassSettings.find(testClass);
    if (annotations.isEmpty()) {
      return null;
    }
    return new SmtpDoubleContextCustomizer(annotations, "class [" + testClass.getName() + "]");
  }
}
