package dev.smtpdouble.spring;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.spring.app.MailApplication;
import dev.smtpdouble.spring.app.WelcomeMailer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.SpringVersion;

/**
 * A cached context that sits idle keeps its double serving: Spring Framework 7 pauses a cached
 * context when the next test class switches to another one (its {@code Lifecycle} beans stop) and
 * restarts it when a test class uses it again. The double is no {@code Lifecycle} bean, so it
 * answers while its context is paused, and the context comes back with the same double.
 */
@Timeout(60)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class ContextPauseTest {
  static ConfigurableApplicationContext firstContext;
  static SmtpDouble firstDouble;

  @Nested
  @Order(1)
  @SpringBootTest(classes = MailApplication.class)
  @EnableSmtpDouble(hostname = "paused.test")
  class FirstUse {
    @Autowired ConfigurableApplicationContext context;
    @Autowired SmtpDouble smtp;
    @Autowired WelcomeMailer mailer;

    @Test
    void sendsAndLeavesTheContextInTheCache() {
      firstContext = context;
      firstDouble = smtp;
      mailer.welcome("erin@example.test");
      assertThat(smtp).hasReceived(1);
    }
  }

  @Nested
  @Order(2)
  @SpringBootTest(classes = MailApplication.class)
  @EnableSmtpDouble(hostname = "other.test")
  class AnotherContext {
    @Autowired ConfigurableApplicationContext context;

    @Test
    void theIdleContextsDoubleStillAnswers() throws IOException {
      assertThat(firstContext).isNotNull().isNotSameAs(context);
      if (springMajor() >= 7) {
        assertThat(firstContext.isRunning()).as("the idle context is paused").isFalse();
      }
      try (Socket socket = new Socket(firstDouble.host(), firstDouble.port())) {
        socket.setSoTimeout(5000);
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        assertThat(in.readLine()).startsWith("220 paused.test");
        out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(in.readLine()).startsWith("221 ");
      }
    }
  }

  @Nested
  @Order(3)
  @SpringBootTest(classes = MailApplication.class)
  @EnableSmtpDouble(hostname = "paused.test")
  class FirstUseAgain {
    @Autowired ConfigurableApplicationContext context;
    @Autowired SmtpDouble smtp;
    @Autowired WelcomeMailer mailer;

    @Test
    void getsTheSameContextBackWithTheSameDouble() {
      assertThat(context).isSameAs(firstContext);
      assertThat(context.isRunning()).isTrue();
      assertThat(smtp).isSameAs(firstDouble);
      assertThat(smtp.transcript().sessions()).isEmpty(); // reset since the check above
      mailer.welcome("frank@example.test");
      assertThat(smtp).hasReceived(1).first().hasRecipients("frank@example.test");
    }
  }

  private static int springMajor() {
    String version = SpringVersion.getVersion();
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }
}
