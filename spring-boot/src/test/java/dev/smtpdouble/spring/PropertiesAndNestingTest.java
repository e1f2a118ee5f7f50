package dev.smtpdouble.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.junit5.TlsMode;
import dev.smtpdouble.spring.app.MailApplication;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/**
 * What goes into the {@code Environment} and the context, and how {@code @Nested} classes inherit
 * and refine the enclosing class's annotation.
 */
@Timeout(60)
@SpringBootTest(classes = MailApplication.class)
@EnableSmtpDouble(script = "reply 211 \"from the enclosing class\" to HELP")
class PropertiesAndNestingTest {
  @Autowired Environment environment;
  @Autowired ApplicationContext context;
  @Autowired SmtpDouble smtp;

  @Test
  void pointsSpringMailAtTheDoubleBean() {
    assertThat(environment.getProperty("spring.mail.host")).isEqualTo("127.0.0.1");
    assertThat(environment.getProperty("spring.mail.port", Integer.class)).isEqualTo(smtp.port());
    assertThat(environment.getProperty("spring.mail.username")).isNull();
    assertThat(environment.getProperty("spring.mail.properties.mail.smtp.auth")).isNull();
    assertThat(environment.getProperty("spring.mail.ssl.bundle")).isNull();
    assertThat(context.getBean(EnableSmtpDouble.BEAN_NAME)).isSameAs(smtp);
    assertThat(context.getBeansOfType(SmtpDouble.class)).hasSize(1);
    assertThat(smtp.isRunning()).isTrue();
    assertThat(smtp.rules()).hasToString("[reply 211 \"from the enclosing class\" to HELP]");
  }

  @Test
  void theBeanIsAnAutowiredParameterToo(@Autowired SmtpDouble parameter) {
    assertThat(parameter).isSameAs(smtp);
  }

  @Nested
  class Inheriting {
    @Autowired Environment nestedEnvironment;
    @Autowired SmtpDouble nestedSmtp;

    @Test
    void getsTheEnclosingClassesDouble() {
      assertThat(nestedSmtp.rules()).hasToString("[reply 211 \"from the enclosing class\" to HELP]");
      assertThat(nestedSmtp.settings().tls()).isNull();
      assertThat(nestedEnvironment.getProperty("spring.mail.port", Integer.class))
          .isEqualTo(nestedSmtp.port());
    }
  }

  @Nested
  @EnableSmtpDouble(
      script = "reply 252 to VRFY",
      tls = TlsMode.IMPLICIT,
      users = {"first:one", "second:two"},
      portProperty = "app.mail.port",
      sslBundle = "")
  class Refining {
    @Autowired Environment nestedEnvironment;
    @Autowired SmtpDouble nestedSmtp;

    @Test
    void addsItsScriptAndOverridesTheRest() {
      assertThat(nestedSmtp.rules())
          .hasToString("[reply 211 \"from the enclosing class\" to HELP, reply 252 to VRFY]");
      assertThat(nestedSmtp.settings().tls().mode()).isEqualTo(Tls.Mode.IMPLICIT);
    }

    @Test
    void setsTheNamedPropertiesAndTheFirstUser() {
      assertThat(nestedEnvironment.getProperty("app.mail.port", Integer.class))
          .isEqualTo(nestedSmtp.port());
      assertThat(nestedEnvironment.getProperty("spring.mail.port")).isNull();
      assertThat(nestedEnvironment.getProperty("spring.mail.host")).isEqualTo(nestedSmtp.host());
      assertThat(nestedEnvironment.getProperty("spring.mail.username")).isEqualTo("first");
      assertThat(nestedEnvironment.getProperty("spring.mail.password")).isEqualTo("one");
      assertThat(nestedEnvironment.getProperty("spring.mail.properties.mail.smtp.ssl.enable"))
          .isEqualTo("true");
      assertThat(nestedEnvironment.getProperty("spring.mail.properties.mail.smtp.starttls.enable"))
          .isNull();
      assertThat(nestedEnvironment.getProperty("spring.mail.ssl.bundle")).isNull();
    }
  }
}
