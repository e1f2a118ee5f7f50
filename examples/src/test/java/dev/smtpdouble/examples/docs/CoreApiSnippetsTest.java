package dev.smtpdouble.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import jakarta.mail.SendFailedException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples of docs/core-api.md: the double without the JUnit extension. */
@Timeout(30)
class CoreApiSnippetsTest {

  @Test
  void withoutTheExtension() throws Exception {
    // tag::without-junit[]
    try (SmtpDouble smtp = SmtpDouble.start()) {                    // 127.0.0.1, a free port
      new WelcomeMailer(smtp.host(), smtp.port()).send("alice@example.test");

      ReceivedMessage m = smtp.takeMessage(Duration.ofSeconds(5)); // waits for it
      assertThat(m.subject()).isEqualTo("Welcome");
      assertThat(m.recipients()).isEqualTo(List.of("alice@example.test"));
      assertThat(m.accepted()).isTrue();
    }
    // end::without-junit[]
  }

  @Test
  void aFaultWithoutTheExtension() throws Exception {
    // tag::fault-without-junit[]
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA");
      WelcomeMailer mailer = new WelcomeMailer(smtp.host(), smtp.port());

      assertThatThrownBy(() -> mailer.send("alice@example.test"))
          .isInstanceOf(SendFailedException.class);
      ReceivedMessage rejected = smtp.takeMessage(Duration.ofSeconds(5)); // recorded all the same
      assertThat(rejected.accepted()).isFalse();
    }
    // end::fault-without-junit[]
  }
}
