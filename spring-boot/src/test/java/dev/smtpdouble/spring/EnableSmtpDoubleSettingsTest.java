package dev.smtpdouble.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.junit5.Toggle;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.springframework.test.context.ContextCustomizer;

/**
 * The annotation's settings without a context: they mirror {@code @SmtpServer}'s, are checked when
 * Spring builds the test's configuration, and make the context cache key.
 */
@Timeout(60)
class EnableSmtpDoubleSettingsTest {
  private final SmtpDoubleContextCustomizerFactory factory = new SmtpDoubleContextCustomizerFactory();

  @Test
  void takesEveryAttributeOfSmtpServerWithTheSameTypeAndDefault() throws Exception {
    for (Method attribute : SmtpServer.class.getDeclaredMethods()) {
      Method same = EnableSmtpDouble.class.getMethod(attribute.getName());
      assertThat(same.getGenericReturnType())
          .as(attribute.getName())
          .isEqualTo(attribute.getGenericReturnType());
      assertThat(same.getDefaultValue())
          .as(attribute.getName())
          .isEqualTo(attribute.getDefaultValue());
    }
  }

  @EnableSmtpDouble(script = "reply 421 to MAIL once", strict = Toggle.ON)
  static class OneClass {}

  @EnableSmtpDouble(strict = Toggle.ON, script = "reply 421 to MAIL once")
  static class AnotherClassWithTheSameSettings {}

  @EnableSmtpDouble(script = "reply 421 to MAIL once")
  static class OtherSettings {}

  @EnableSmtpDouble(script = "reply 421 to MAIL once", portProperty = "app.mail.port")
  static class OtherPropertyNames {}

  static class Unannotated {}

  @Test
  void theSettingsAreTheCacheKey() {
    ContextCustomizer one = customizer(OneClass.class);

    assertThat(one)
        .isEqualTo(customizer(AnotherClassWithTheSameSettings.class))
        .hasSameHashCodeAs(customizer(AnotherClassWithTheSameSettings.class))
        .isNotEqualTo(customizer(OtherSettings.class))
        .isNotEqualTo(customizer(OtherPropertyNames.class));
    assertThat(customizer(Unannotated.class)).isNull();
  }

  @EnableSmtpDouble(script = "reply 99 to HELP")
  static class MalformedScript {}

  @Test
  void aMalformedScriptFailsInTheAnnotationsWords() {
    assertThatThrownBy(() -> customizer(MalformedScript.class))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageStartingWith(
            "@EnableSmtpDouble on class [" + MalformedScript.class.getName() + "] has a malformed"
                + " script: ");
  }

  @EnableSmtpDouble(requireAuth = Toggle.ON)
  static class RequireAuthWithoutUsers {}

  @Test
  void settingsThatDoNotFitTogetherFailSayingWhatToChange() {
    assertThatThrownBy(() -> customizer(RequireAuthWithoutUsers.class))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(
            "@EnableSmtpDouble on class ["
                + RequireAuthWithoutUsers.class.getName()
                + "] sets requireAuth = Toggle.ON without users: add users = \"name:secret\"");
  }

  private ContextCustomizer customizer(Class<?> testClass) {
    return factory.createContextCustomizer(testClass, List.of());
  }
}
