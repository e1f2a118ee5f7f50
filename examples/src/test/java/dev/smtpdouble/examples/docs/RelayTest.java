package dev.smtpdouble.examples.docs;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The placement example of docs/junit-and-assertj.md: one test, several doubles. */
// tag::placement[]
@SmtpServer(hostname = "mx.example.test")
class RelayTest {
  @SmtpServer(script = "reply 421 \"4.3.2 Try again later\" to MAIL")
  static SmtpDouble brokenRelay;                 // one for the class, reset before each test

  @SmtpServer
  SmtpDouble audit;                              // a fresh one for every test

  @BeforeEach
  void setUp(SmtpDouble smtp) {                  // the same double as the test's own parameter
    assertThat(smtp).hasNoMessages();
  }

  @Test
  void failsOverToTheBackup(
      @SmtpServer(hostname = "primary.test", script = "reply 421 \"4.3.2 Try again later\" to MAIL")
          SmtpDouble primary,
      @SmtpServer(hostname = "backup.test") SmtpDouble backup) throws Exception {
    try {
      new WelcomeMailer(primary.host(), primary.port()).send("alice@example.test");
    } catch (MessagingException busy) {
      new WelcomeMailer(backup.host(), backup.port()).send("alice@example.test");
    }

    assertThat(primary.transcript()).containsExchange("MAIL", 421);
    assertThat(primary).hasNoMessages();
    assertThat(backup).hasReceived(1).first().isAccepted();
  }
}
// end::placement[]
