package dev.smtpdouble.spring;

import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.junit5.SmtpServerSettings;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * The {@link EnableSmtpDouble} annotations that apply to a test class, outermost first: its own
 * (or a superclass's), then, as far as Spring's {@code @NestedTestConfiguration} lets a
 * {@code @Nested} class inherit, its enclosing classes'. Each becomes an {@link SmtpServer} with the
 * same attributes, so that the JUnit module's option handling checks and applies it.
 */
final class TestClassSettings {
  private TestClassSettings() {}

  /**
   * The annotations for a test class.
   *
   * @param testClass the test class
   * @return outermost first; empty when none applies
   */
  static List<EnableSmtpDouble> find(Class<?> testClass) {
    Deque<EnableSmtpDouble> chain = new ArrayDeque<>();
    for (Class<?> c = testClass; c != null; ) {
      EnableSmtpDouble annotation =
          AnnotatedElementUtils.findMergedAnnotation(c, EnableSmtpDouble.class);
      if (annotation != null && !annotation.equals(chain.peekFirst())) {
        chain.addFirst(annotation);
      }
      c = TestContextAnnotationUtils.searchEnclosingClass(c) ? c.getEnclosingClass() : null;
    }
    return List.copyOf(chain);
  }

  /**
   * The settings of the annotations, layered and checked.
   *
   * @param annotations outermost first, not empty
   * @param where the test class, for messages: {@code "class [com.example.SignupTest]"}
   * @return the settings
   * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException when an attribute is
   *     malformed, in the annotation's words
   */
  static SmtpServerSettings settings(List<EnableSmtpDouble> annotations, String where) {
    SmtpServerSettings settings = SmtpServerSettings.defaults();
    for (EnableSmtpDouble annotation : annotations) {
      settings = settings.with(asSmtpServer(annotation), "EnableSmtpDouble", where);
    }
    return settings;
  }

  /** An {@code @SmtpServer} with the attributes of an {@code @EnableSmtpDouble}. */
  static SmtpServer asSmtpServer(EnableSmtpDouble annotation) {
    Map<String, Object> all = AnnotationUtils.getAnnotationAttributes(annotation);
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Method attribute : SmtpServer.class.getDeclaredMethods()) {
      attributes.put(attribute.getName(), all.get(attribute.getName()));
    }
    return MergedAnnotation.of(SmtpServer.class, attributes).synthesize();
  }
}
