package dev.smtpdouble.examples.docs;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.assertj.SmtpSoftAssertions;
import dev.smtpdouble.junit5.SmtpServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The assertion examples of docs/junit-and-assertj.md, on one welcome mail. */
@Timeout(30)
@SmtpServer
class AssertionSnippetsTest {

  @Test
  void theAssertionsOnTheDoubleAMessageAndTheConversation(SmtpDouble smtp) throws Exception {
    new WelcomeMailer(smtp.host(), smtp.port()).send("alice@example.test");
    ReceivedMessage message = smtp.messages().get(0);

    // tag::assertions[]
    // the double: these wait for asynchronous senders
    assertThat(smtp).hasReceived(1);                          // exactly 1 (waits for it)
    assertThat(smtp).hasReceivedAtLeast(1);
    assertThat(smtp).first().hasSubject("Welcome");           // waits for the first
    assertThat(smtp).message(0).hasSubject("Welcome");        // index 0, the first
    assertThat(smtp).messageMatching(m -> m.recipients().contains("alice@example.test"))
        .hasSubject("Welcome");
    assertThat(smtp).within(Duration.ofSeconds(30)).hasReceived(1);   // this chain waits longer
    assertThat(smtp).hasNoViolations();
    assertThat(smtp).hasNoUnusedRules();

    // one message
    assertThat(message)
        .hasFrom("shop@example.test")
        .hasRecipients("alice@example.test")                  // exactly these, any order
        .hasRecipient("alice@example.test")
        .hasSubject("Welcome")
        .hasHeader("Subject", "Welcome")
        .bodyContains("Hello Alice")
        .bodyContainsPattern("thanks for \\w+ up")
        .isAccepted()                                         // or isRejected()
        .hasReplyCode(250)
        .wasNotEncrypted()                                    // or wasEncrypted(), hasTlsProtocol(...)
        .wasNotAuthenticated();                               // or wasAuthenticatedAs("alice")

    // the conversation
    assertThat(smtp.transcript())
        .containsExchange("CONNECT", 220)                     // the greeting
        .containsExchange("DATA", 354)                        // DATA answered 354
        .containsExchange("DATA", 250)                        // ... and its data answered 250
        .containsCommandsInOrder("EHLO", "MAIL", "RCPT", "DATA", "QUIT")
        .doesNotContainCommand("RSET")
        .containsLine("S: 250 2.0.0 Ok: queued")
        .hasSessions(1);
    // end::assertions[]
  }

  @Test
  void softly(SmtpDouble smtp) throws Exception {
    new WelcomeMailer(smtp.host(), smtp.port()).send("alice@example.test");

    // tag::soft[]
    SmtpSoftAssertions.assertSoftly(softly -> {
      softly.assertThat(smtp).hasReceived(1).hasNoViolations();
      softly.assertThat(smtp.messages().get(0)).hasSubject("Welcome").isAccepted();
      softly.assertThat(smtp.transcript()).containsExchange("QUIT", 221);
    });
    // end::soft[]
  }
}
