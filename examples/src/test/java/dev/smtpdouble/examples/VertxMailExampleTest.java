package dev.smtpdouble.examples;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.MailResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Vert.x mail client is asynchronous: {@code sendMail} returns at once and the message leaves
 * later, on an event loop. The test fires and forgets, and the double's assertions wait for what
 * arrives; nothing sleeps.
 */
@SmtpServer
@Timeout(30)
class VertxMailExampleTest {
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  MailClient client(SmtpDouble smtp) {
    MailConfig config =
        new MailConfig()
            .setHostname(smtp.host())
            .setPort(smtp.port())
            .setConnectTimeout(2000)
            .setIdleTimeout(2)
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return MailClient.create(vertx, config);
  }

  static MailMessage shipped(String to) {
    return new MailMessage()
        .setFrom("shop@example.test")
        .setTo(to)
        .setSubject("Your parcel has shipped")
        .setText("It should arrive on Tuesday.\n");
  }

  @Test
  void sendsInTheBackground(SmtpDouble smtp) {
    client(smtp).sendMail(shipped("alice@example.test")); // not waited for

    assertThat(smtp) // waits until the message is there (5 s at most by default)
        .hasReceived(1)
        .first()
        .hasFrom("shop@example.test")
        .hasRecipients("alice@example.test")
        .hasSubject("Your parcel has shipped")
        .bodyContains("arrive on Tuesday");
  }

  @Test
  void sendsManyOverOnePooledConnection(SmtpDouble smtp) {
    MailClient client = client(smtp);
    for (String to : List.of("alice@example.test", "bob@example.test", "carol@example.test")) {
      client.sendMail(shipped(to));
    }

    assertThat(smtp).within(Duration.ofSeconds(10)).hasReceived(3);
    assertThat(smtp.messages())
        .flatExtracting(dev.smtpdouble.ReceivedMessage::recipients)
        .containsExactlyInAnyOrder("alice@example.test", "bob@example.test", "carol@example.test");
  }

  @Test
  @SmtpServer(script = "reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA")
  void failsItsFutureWhenTheServerRejectsTheMessage(SmtpDouble smtp) {
    Future<MailResult> result = client(smtp).sendMail(shipped("alice@example.test"));

    // The double has the rejected message as soon as it answered 554 ...
    assertThat(smtp).hasReceived(1).first().isRejected().hasReplyCode(554);
    // ... and the future fails with the reply: wait for it, bounded, without sleeping.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(result::isComplete);
    assertThat(result.failed()).isTrue();
    assertThat(result.cause()).hasMessageContaining("554 5.7.1 Message rejected as spam");
  }
}
