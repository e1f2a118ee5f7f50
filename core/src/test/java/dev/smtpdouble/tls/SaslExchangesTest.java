package dev.smtpdouble.tls;

import static dev.smtpdouble.testing.Replies.AUTH_FAILED;
import static dev.smtpdouble.testing.Replies.AUTH_OK;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The AUTH exchanges a raw client can take that the Jakarta Mail and CRAM-MD5/XOAUTH2 tests of
 * {@link StartTlsAndAuthTest} leave out: without an initial response, with an authorization
 * identity, failures of CRAM-MD5, XOAUTH2 in both forms, and the user recorded on the message.
 */
@Timeout(60)
class SaslExchangesTest {

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String challengeLine) {
    assertThat(challengeLine).startsWith("334 ");
    return new String(
        Base64.getDecoder().decode(challengeLine.substring(4)), StandardCharsets.UTF_8);
  }

  private static String cramMd5(String secret, String challenge) throws Exception {
    Mac mac = Mac.getInstance("HmacMD5");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
    return HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));
  }

  private static SmtpDouble start() {
    return SmtpDouble.builder().user("alice", "s3cret").user("bob", "tanstaaf").start();
  }

  private static RawClient greeted(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    client.ehlo("client.test");
    return client;
  }

  private static void sendMessage(RawClient client) {
    client.send("MAIL FROM:<app@example.test>").expect(MAIL_OK);
    client.send("RCPT TO:<alice@example.test>").expect(RCPT_OK);
    client.send("DATA").expectStart("354 ");
    client.sendRaw("Subject: sasl\r\n\r\nbody\r\n.\r\n").expectStart("250 ");
  }

  @Test
  void plainWithoutAnInitialResponseGetsAnEmptyChallenge() {
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH PLAIN").expect("334 ");
      client.send(b64("\0alice\0s3cret")).expect(AUTH_OK);
      sendMessage(client);

      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.authenticatedUser()).contains("alice");
      assertThat(message.authMechanism()).contains(AuthMechanism.PLAIN);
      assertThat(smtp.transcript().toString()).contains("C: AUTH PLAIN\n", "C: ****\n");
    }
  }

  @Test
  void plainWithAnAuthorizationIdentityAuthenticatesTheAuthenticationIdentity() {
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      client
          .send("AUTH PLAIN " + b64("admin\0alice\0s3cret"))
          .expect(AUTH_OK);
      sendMessage(client);

      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).authenticatedUser()).contains("alice");
    }
  }

  @Test
  void plainFailures() {
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      client
          .send("AUTH PLAIN " + b64("\0alice\0wrong"))
          .expect(AUTH_FAILED);
      client
          .send("AUTH PLAIN " + b64("\0mallory\0s3cret"))
          .expect(AUTH_FAILED);
      client
          .send("AUTH PLAIN " + b64("alice s3cret"))
          .expect(AUTH_FAILED);
      client.send("AUTH PLAIN =").expect(AUTH_FAILED);
      client.send("AUTH").expect("501 5.5.4 Syntax: AUTH mechanism [initial-response]");
      // still anonymous: a message goes through unauthenticated
      sendMessage(client);
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).authenticatedUser()).isEmpty();
    }
  }

  @Test
  void loginWithTheUserNameAsInitialResponseAsksOnlyForThePassword() {
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH LOGIN " + b64("bob")).expect("334 " + b64("Password:"));
      client.send(b64("tanstaaf")).expect(AUTH_OK);
      sendMessage(client);

      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.authenticatedUser()).contains("bob");
      assertThat(message.authMechanism()).contains(AuthMechanism.LOGIN);
      assertThat(smtp.transcript().toString())
          .contains("C: AUTH LOGIN ****")
          .doesNotContain(b64("bob"), b64("tanstaaf"));
    }
  }

  @Test
  void loginWithAWrongPassword() {
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH LOGIN").expect("334 " + b64("Username:"));
      client.send(b64("alice")).expect("334 " + b64("Password:"));
      client.send(b64("wrong")).expect(AUTH_FAILED);
      client.send("AUTH LOGIN").expect("334 " + b64("Username:"));
      client.send("not base64 !").expect("501 5.5.2 Cannot decode response");
    }
  }

  @Test
  void cramMd5WithAWrongSecretOrAnUnknownUserIsRefused() throws Exception {
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH CRAM-MD5");
      String challenge = decode(client.readLine());
      client
          .send(b64("alice " + cramMd5("wrong", challenge)))
          .expect(AUTH_FAILED);

      client.send("AUTH CRAM-MD5");
      challenge = decode(client.readLine());
      client
          .send(b64("mallory " + cramMd5("s3cret", challenge)))
          .expect(AUTH_FAILED);

      client.send("AUTH CRAM-MD5");
      String first = decode(client.readLine());
      client.send("*").expect("501 5.7.0 Authentication aborted");
      client.send("AUTH CRAM-MD5");
      String second = decode(client.readLine());
      assertThat(second).as("every challenge is new").isNotEqualTo(first);
      client
          .send(b64("alice " + cramMd5("s3cret", second)))
          .expect(AUTH_OK);
      sendMessage(client);

      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).authMechanism())
          .contains(AuthMechanism.CRAM_MD5);
    }
  }

  /**
   * RFC 4954 §4: an initial response with a mechanism in which the server speaks first, such as
   * CRAM-MD5, "MUST" be rejected with 501.
   */
  @Test
  void cramMd5WithAnInitialResponseIsRejected() {
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      client
          .send("AUTH CRAM-MD5 " + b64("alice 0123456789abcdef"))
          .expect("501 5.5.4 Error: CRAM-MD5 takes no initial response");
      client.send("NOOP").expect(OK);
    }
  }

  @Test
  void xoauth2WithAnInitialResponse() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice@example.test", "ya29.token").start();
        RawClient client = greeted(smtp)) {
      client
          .send(
              "AUTH XOAUTH2 "
                  + b64("user=alice@example.test\u0001auth=Bearer ya29.token\u0001\u0001"))
          .expect(AUTH_OK);
      sendMessage(client);

      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.authenticatedUser()).contains("alice@example.test");
      assertThat(message.authMechanism()).contains(AuthMechanism.XOAUTH2);
      assertThat(smtp.transcript().toString())
          .contains("C: AUTH XOAUTH2 ****")
          .doesNotContain("ya29.token");
    }
  }

  @Test
  void xoauth2WithoutAnInitialResponse() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice@example.test", "ya29.token").start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH XOAUTH2").expect("334 ");
      client
          .send(b64("user=alice@example.test\u0001auth=Bearer ya29.token\u0001\u0001"))
          .expect(AUTH_OK);
    }
  }

  @Test
  void xoauth2WithATokenOfAnotherUserIsRefused() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().user("alice", "alice-token").user("bob", "bob-token").start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH XOAUTH2 " + b64("user=alice\u0001auth=Bearer bob-token\u0001\u0001"));
      assertThat(decode(client.readLine())).contains("\"status\":\"401\"");
      client.send("").expect(AUTH_FAILED);
    }
  }

  @Test
  void aScriptedChallengeOnADoubleWithoutUsersKeepsTheSecretOutOfTheTranscript() {
    String secret = b64("\0alice\0hunter2");
    try (SmtpDouble smtp = SmtpDouble.builder().script("reply 334 to AUTH").start();
        RawClient client = greeted(smtp)) {
      client.send("AUTH PLAIN").expect("334 ");
      // nothing can verify the response: it fails, and the session goes on
      client.send(secret).expect(AUTH_FAILED);
      client.send("NOOP").expect(OK);
      client.send("QUIT").expect(BYE);
      client.awaitEnd(5000);

      String transcript = smtp.transcript().toString();
      assertThat(transcript).doesNotContain(secret).contains("C: AUTH PLAIN\n", "C: ****\n");
      assertThat(smtp.transcript().explained()).doesNotContain(secret);
      assertThat(smtp.violations()).allSatisfy(v -> assertThat(v.toString()).doesNotContain(secret));
    }
  }

  @Test
  void aScriptedChallengeToAnUnknownMechanismKeepsTheSecretOutOfTheTranscript() {
    String secret = b64("token-for-alice");
    try (SmtpDouble smtp = start();
        RawClient client = greeted(smtp)) {
      smtp.script("reply 334 \"VXNlcm5hbWU6\" to AUTH");
      client.send("AUTH X-UNKNOWN").expect("334 VXNlcm5hbWU6");
      client.send(secret).expect(AUTH_FAILED);
      client.send("AUTH X-UNKNOWN").expect("334 VXNlcm5hbWU6");
      client.send("*").expect("501 5.7.0 Authentication aborted");
      assertThat(smtp.transcript().toString()).doesNotContain(secret).contains("C: ****\n");
    }
  }
}
