package dev.smtpdouble.tls;

import static dev.smtpdouble.testing.Replies.AUTH_FAILED;
import static dev.smtpdouble.testing.Replies.AUTH_OK;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.NEED_MAIL;
import static dev.smtpdouble.testing.Replies.TLS_READY;
import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.testing.SecureMail;
import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Command;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** STARTTLS, implicit TLS and AUTH with Jakarta Mail and a raw client, and their failures. */
@Timeout(60)
class StartTlsAndAuthTest {

  @Test
  void jakartaMailUpgradesWithStartTlsAndTrustsTheDoublesCertificate() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().required()).start()) {
      Properties props = SecureMail.starttls(smtp, smtp.clientTls().socketFactory());

      SecureMail.send(props);

      ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
      assertThat(message.encrypted()).isTrue();
      assertThat(message.tlsProtocol()).hasValueSatisfying(p -> assertThat(p).startsWith("TLSv1."));
      assertThat(message.tlsCipherSuite()).isPresent();
      String transcript = smtp.transcript().toString();
      assertThat(transcript).contains("C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "* TLS started: TLSv1.");
      assertThat(smtp.violations()).isEmpty();
    }
  }

  @Test
  void jakartaMailSpeaksImplicitTls() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.implicit()).start()) {
      Properties props = SecureMail.implicit(smtp, smtp.clientTls().socketFactory());

      SecureMail.send(props);

      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).encrypted()).isTrue();
    }
  }

  @Test
  void tlsRequiredRefusesMailOnAPlainSession() {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().required()).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      assertThat(client.ehlo("client.test")).contains("250 STARTTLS");
      client.send("MAIL FROM:<a@example.test>").expect("530 5.7.0 Must issue a STARTTLS command first");
    }
  }

  @Test
  void aHiddenStartTlsIsAcceptedButNotAdvertised() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().hidden()).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      assertThat(String.join("\n", client.ehlo("client.test"))).doesNotContain("STARTTLS");
      client.send("STARTTLS").expect(TLS_READY);
      SSLSocket ssl = upgrade(smtp, client);
      assertThat(ssl.getSession().getProtocol()).startsWith("TLSv1.");
      ssl.close();
    }
  }

  @Test
  void afterTheHandshakeTheSessionStartsOverAndStartTlsIsNoLongerOffered() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls()).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.send("MAIL FROM:<before@example.test>").expect(MAIL_OK);
      client.send("STARTTLS").expect(TLS_READY);
      try (SSLSocket ssl = upgrade(smtp, client)) {
        SecureLines lines = new SecureLines(ssl);
        lines.send("MAIL FROM:<after@example.test>");
        // the transaction begun in plaintext is forgotten (RFC 3207 §4.2): a new MAIL is fine
        assertThat(lines.reply()).containsExactly(MAIL_OK);
        lines.send("RSET");
        lines.reply();
        lines.send("EHLO client.test");
        List<String> ehlo = lines.reply();
        assertThat(ehlo).noneMatch(line -> line.contains("STARTTLS"));
        lines.send("STARTTLS");
        assertThat(lines.reply()).containsExactly("503 5.5.1 Error: TLS already active");
      }
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .contains(Violation.Kind.MAIL_BEFORE_HELO);
    }
  }

  @Test
  void commandsSentBetweenStartTlsAndTheHandshakeAreDiscardedAndNoted() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls()).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.sendRaw("STARTTLS\r\nMAIL FROM:<injected@example.test>\r\n");
      client.expect(TLS_READY);
      try (SSLSocket ssl = upgrade(smtp, client)) {
        SecureLines lines = new SecureLines(ssl);
        lines.send("RCPT TO:<bob@example.test>");
        assertThat(lines.reply()).containsExactly(NEED_MAIL);
      }
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .contains(Violation.Kind.PLAINTEXT_AFTER_STARTTLS);
    }
  }

  @Test
  void aTlsFailRuleFailsTheHandshakeWithAnAlert() {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls()).start()) {
      smtp.script("tls-fail to STARTTLS");
      Properties props = SecureMail.plain(smtp);
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());

      assertThatThrownBy(() -> SecureMail.send(props))
          .isInstanceOf(MessagingException.class)
          .hasRootCauseInstanceOf(SSLHandshakeException.class)
          .rootCause()
          .hasMessageContaining("handshake_failure");
      assertThat(smtp.transcript().toString()).contains("* TLS handshake failed by script");
      // the ending is recorded once the session's thread is done, after the alert and the close
      // reach the client: wait for it, as the other fault tests do
      assertThat(awaitEnded(smtp, 1).ending()).isEqualTo(Transcript.Ending.TLS_FAILED);
      assertThat(smtp.unusedRules()).isEmpty();
    }
  }

  @Test
  void aTlsFailRuleOnConnectFailsImplicitTls() {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.implicit()).script("tls-fail to CONNECT").start()) {
      Properties props = SecureMail.plain(smtp);
      props.put("mail.smtp.ssl.enable", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
      assertThatThrownBy(() -> SecureMail.send(props))
          .hasRootCauseInstanceOf(SSLHandshakeException.class);
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void aScriptedRefusalOfStartTls() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls()).start()) {
      smtp.on(Command.STARTTLS).reply(454, "4.7.0 TLS not available");
      Properties props = SecureMail.plain(smtp);
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
      assertThatThrownBy(() -> SecureMail.send(props))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("454 4.7.0 TLS not available");
    }
  }

  @Test
  void jakartaMailAuthenticatesWithPlainAndLoginAndTheUserIsRecorded() throws Exception {
    for (AuthMechanism mechanism : List.of(AuthMechanism.PLAIN, AuthMechanism.LOGIN)) {
      try (SmtpDouble smtp =
          SmtpDouble.builder()
              .tls(Tls.starttls())
              .user("alice", "s3cret")
              .authMechanisms(mechanism)
              .requireAuth()
              .start()) {
        Properties props = SecureMail.plain(smtp);
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());

        SecureMail.send(props, "alice", "s3cret");

        ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
        assertThat(message.authenticatedUser()).contains("alice");
        assertThat(message.authMechanism()).contains(mechanism);
        String transcript = smtp.transcript().toString();
        assertThat(transcript).doesNotContain("s3cret");
        assertThat(transcript).doesNotContain(b64("\0alice\0s3cret")).doesNotContain(b64("s3cret"));
        assertThat(transcript).contains("* authenticated as alice with " + mechanism.keyword());
      }
    }
  }

  @Test
  void jakartaMailAuthenticatesWithXoauth2() throws Exception {
    try (SmtpDouble smtp =
        SmtpDouble.builder().user("alice@example.test", "ya29.token").authMechanisms(AuthMechanism.XOAUTH2).start()) {
      Properties props = SecureMail.plain(smtp);
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.auth.mechanisms", "XOAUTH2");
      SecureMail.send(props, "alice@example.test", "ya29.token");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).authMechanism()).contains(AuthMechanism.XOAUTH2);
    }
  }

  @Test
  void aWrongPasswordIsRefusedWith535() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").start()) {
      Properties props = SecureMail.plain(smtp);
      props.put("mail.smtp.auth", "true");
      assertThatThrownBy(() -> SecureMail.send(props, "alice", "wrong"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("535 5.7.8");
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void authRequiredRefusesMailWithout() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").requireAuth().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      assertThat(client.ehlo("client.test")).contains("250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2");
      client.send("MAIL FROM:<a@example.test>").expect("530 5.7.0 Authentication required");
    }
  }

  @Test
  void plaintextMechanismsOnAPlainSessionGet538WhenConfiguredSo() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().tls(Tls.starttls()).user("alice", "s3cret").plaintextAuthNeedsTls().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      assertThat(client.ehlo("client.test")).contains("250 AUTH CRAM-MD5");
      client.send("AUTH PLAIN " + b64("\0alice\0s3cret"))
          .expect("538 5.7.11 Encryption required for requested authentication mechanism");
      assertThat(smtp.violations())
          .extracting(Violation::kind)
          .contains(Violation.Kind.PLAINTEXT_AUTH_WITHOUT_TLS);
    }
  }

  @Test
  void cramMd5OverARawClient() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().user("bob", "tanstaaftanstaaf").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.send("AUTH CRAM-MD5");
      String challengeLine = client.readLine();
      assertThat(challengeLine).startsWith("334 ");
      String challenge =
          new String(Base64.getDecoder().decode(challengeLine.substring(4)), StandardCharsets.UTF_8);
      assertThat(challenge).startsWith("<").endsWith("@localhost>");
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec("tanstaaftanstaaf".getBytes(StandardCharsets.UTF_8), "HmacMD5"));
      String digest = HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));
      client.send(b64("bob " + digest)).expect(AUTH_OK);
      client.send("AUTH PLAIN " + b64("\0bob\0x")).expect("503 5.5.1 Error: already authenticated");
      assertThat(smtp.transcript().toString()).contains("C: AUTH CRAM-MD5", "C: ****");
    }
  }

  @Test
  void xoauth2FailureFollowsTheJsonErrorExchange() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "good-token").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.send("AUTH XOAUTH2 " + b64("user=alice\u0001auth=Bearer bad-token\u0001\u0001"));
      String error = client.readLine();
      assertThat(error).startsWith("334 ");
      assertThat(new String(Base64.getDecoder().decode(error.substring(4)), StandardCharsets.UTF_8))
          .contains("\"status\":\"401\"");
      client.send("").expect(AUTH_FAILED);
    }
  }

  @Test
  void theClientCanCancelAnExchange() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      client.send("AUTH LOGIN").expect("334 VXNlcm5hbWU6");
      client.send("*").expect("501 5.7.0 Authentication aborted");
      client.send("AUTH FOO").expect("504 5.5.4 Unrecognized authentication type");
      client.send("AUTH PLAIN !!!").expect("501 5.5.2 Cannot decode response");
    }
  }

  @Test
  void aScriptedAuthFailureOnceThenSuccess() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").start()) {
      smtp.script("reply 535 to AUTH once");
      Properties props = SecureMail.plain(smtp);
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.auth.mechanisms", "PLAIN");
      assertThatThrownBy(() -> SecureMail.send(props, "alice", "s3cret"))
          .isInstanceOf(AuthenticationFailedException.class);
      SecureMail.send(props, "alice", "s3cret");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).authenticatedUser()).contains("alice");
    }
  }

  @Test
  void secretsShowWhenAskedTo() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").showSecrets().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.ehlo("client.test");
      String response = b64("\0alice\0s3cret");
      client.send("AUTH PLAIN " + response).expect(AUTH_OK);
      assertThat(smtp.transcript().toString()).contains("C: AUTH PLAIN " + response);
    }
  }

  @Test
  void whatAClientSendsToAStalledSessionIsMaskedToo() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").start()) {
      smtp.script("stall to NOOP");
      String response = b64("\0alice\0s3cret");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect(GREETING);
        client.ehlo("client.test");
        client.send("NOOP");
        client.send("AUTH PLAIN " + response);
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> smtp.transcript().sessions().get(0).ending() != Transcript.Ending.OPEN);
      String transcript = smtp.transcript().toString();
      assertThat(transcript).contains("C: AUTH PLAIN ****").doesNotContain(response);
    }
  }

  @Test
  void withoutTlsTheClientMaterialIsRefusedClearly() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      assertThatThrownBy(smtp::clientTls)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("tls(Tls.starttls())");
    }
  }

  @Test
  void theClientMaterialTrustsTheDoublesCa() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls()).start()) {
      assertThat(smtp.clientTls().certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
      assertThat(smtp.clientTls().certificate().getSubjectX500Principal().getName())
          .contains("smtp-double test CA");
      assertThat(smtp.clientTls().trustStore().size()).isEqualTo(1);
    }
  }

  private static SSLSocket upgrade(SmtpDouble smtp, RawClient client) throws Exception {
    SSLSocket ssl =
        (SSLSocket)
            smtp.clientTls()
                .socketFactory()
                .createSocket(client.socket(), "localhost", smtp.port(), true);
    ssl.setUseClientMode(true);
    javax.net.ssl.SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(5000);
    ssl.startHandshake();
    return ssl;
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lines over an upgraded socket. */
  private static final class SecureLines {
    private final SSLSocket socket;
    private final java.io.BufferedReader in;

    SecureLines(SSLSocket socket) throws Exception {
      this.socket = socket;
      this.in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    void send(String line) throws Exception {
      socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
    }

    List<String> reply() throws Exception {
      List<String> lines = new java.util.ArrayList<>();
      while (true) {
        String line = in.readLine();
        if (line == null) {
          throw new AssertionError("connection closed; got " + lines);
        }
        lines.add(line);
        if (line.length() < 4 || line.charAt(3) != '-') {
          return lines;
        }
      }
    }
  }
}
