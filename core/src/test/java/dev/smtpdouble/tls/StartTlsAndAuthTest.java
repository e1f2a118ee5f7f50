package dev.smtpdouble.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  private static Properties props(SmtpDouble smtp) {
    Properties props = new Properties();
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", String.valueOf(smtp.port()));
    props.put("mail.smtp.localhost", "client.test");
    props.put("mail.smtp.connectiontimeout", "5000");
    props.put("mail.smtp.timeout", "5000");
    return props;
  }

  private static void send(Properties props, String user, String password)
      throws MessagingException {
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("app@example.test"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.test"));
    message.setSubject("Secure");
    message.setText("over TLS\r\n");
    if (user == null) {
      Transport.send(message);
    } else {
      Transport.send(message, user, password);
    }
  }

  @Test
  void jakartaMailUpgradesWithStartTlsAndTrustsTheDoublesCertificate() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().required()).start()) {
      Properties props = props(smtp);
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
      props.put("mail.smtp.ssl.checkserveridentity", "true");

      send(props, null, null);

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
      Properties props = props(smtp);
      props.put("mail.smtp.ssl.enable", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
      props.put("mail.smtp.ssl.checkserveridentity", "true");

      send(props, null, null);

      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).encrypted()).isTrue();
    }
  }

  @Test
  void tlsRequiredRefusesMailOnAPlainSession() {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().required()).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      assertThat(client.ehlo("client.test")).contains("250 STARTTLS");
      client.send("MAIL FROM:<a@example.test>").expect("530 5.7.0 Must issue a STARTTLS command first");
    }
  }

  @Test
  void aHiddenStartTlsIsAcceptedButNotAdvertised() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls().hidden()).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      assertThat(String.join("\n", client.ehlo("client.test"))).doesNotContain("STARTTLS");
      client.send("STARTTLS").expect("220 2.0.0 Ready to start TLS");
      SSLSocket ssl = upgrade(smtp, client);
      assertThat(ssl.getSession().getProtocol()).startsWith("TLSv1.");
      ssl.close();
    }
  }

  @Test
  void afterTheHandshakeTheSessionStartsOverAndStartTlsIsNoLongerOffered() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls()).start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      client.ehlo("client.test");
      client.send("MAIL FROM:<before@example.test>").expect("250 2.1.0 Ok");
      client.send("STARTTLS").expect("220 2.0.0 Ready to start TLS");
      try (SSLSocket ssl = upgrade(smtp, client)) {
        SecureLines lines = new SecureLines(ssl);
        lines.send("MAIL FROM:<after@example.test>");
        // the transaction begun in plaintext is forgotten (RFC 3207 §4.2): a new MAIL is fine
        assertThat(lines.reply()).containsExactly("250 2.1.0 Ok");
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
      client.expect("220 localhost ESMTP");
      client.ehlo("client.test");
      client.sendRaw("STARTTLS\r\nMAIL FROM:<injected@example.test>\r\n");
      client.expect("220 2.0.0 Ready to start TLS");
      try (SSLSocket ssl = upgrade(smtp, client)) {
        SecureLines lines = new SecureLines(ssl);
        lines.send("RCPT TO:<bob@example.test>");
        assertThat(lines.reply()).containsExactly("503 5.5.1 Error: need MAIL command");
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
      Properties props = props(smtp);
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());

      assertThatThrownBy(() -> send(props, null, null))
          .isInstanceOf(MessagingException.class)
          .hasRootCauseInstanceOf(SSLHandshakeException.class)
          .rootCause()
          .hasMessageContaining("handshake_failure");
      Transcript transcript = smtp.transcript();
      assertThat(transcript.toString()).contains("* TLS handshake failed by script");
      assertThat(transcript.sessions().get(0).ending()).isEqualTo(Transcript.Ending.TLS_FAILED);
      assertThat(smtp.unusedRules()).isEmpty();
    }
  }

  @Test
  void aTlsFailRuleOnConnectFailsImplicitTls() {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.implicit()).script("tls-fail to CONNECT").start()) {
      Properties props = props(smtp);
      props.put("mail.smtp.ssl.enable", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
      assertThatThrownBy(() -> send(props, null, null))
          .hasRootCauseInstanceOf(SSLHandshakeException.class);
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void aScriptedRefusalOfStartTls() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().tls(Tls.starttls()).start()) {
      smtp.on(Command.STARTTLS).reply(454, "4.7.0 TLS not available");
      Properties props = props(smtp);
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());
      assertThatThrownBy(() -> send(props, null, null))
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
        Properties props = props(smtp);
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.ssl.socketFactory", smtp.clientTls().socketFactory());

        send(props, "alice", "s3cret");

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
      Properties props = props(smtp);
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.auth.mechanisms", "XOAUTH2");
      send(props, "alice@example.test", "ya29.token");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).authMechanism()).contains(AuthMechanism.XOAUTH2);
    }
  }

  @Test
  void aWrongPasswordIsRefusedWith535() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").start()) {
      Properties props = props(smtp);
      props.put("mail.smtp.auth", "true");
      assertThatThrownBy(() -> send(props, "alice", "wrong"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("535 5.7.8");
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void authRequiredRefusesMailWithout() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").requireAuth().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      assertThat(client.ehlo("client.test")).contains("250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2");
      client.send("MAIL FROM:<a@example.test>").expect("530 5.7.0 Authentication required");
    }
  }

  @Test
  void plaintextMechanismsOnAPlainSessionGet538WhenConfiguredSo() {
    try (SmtpDouble smtp =
            SmtpDouble.builder().tls(Tls.starttls()).user("alice", "s3cret").plaintextAuthNeedsTls().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
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
      client.expect("220 localhost ESMTP");
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
      client.send(b64("bob " + digest)).expect("235 2.7.0 Authentication successful");
      client.send("AUTH PLAIN " + b64("\0bob\0x")).expect("503 5.5.1 Error: already authenticated");
      assertThat(smtp.transcript().toString()).contains("C: AUTH CRAM-MD5", "C: ****");
    }
  }

  @Test
  void xoauth2FailureFollowsTheJsonErrorExchange() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "good-token").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      client.ehlo("client.test");
      client.send("AUTH XOAUTH2 " + b64("user=alice\u0001auth=Bearer bad-token\u0001\u0001"));
      String error = client.readLine();
      assertThat(error).startsWith("334 ");
      assertThat(new String(Base64.getDecoder().decode(error.substring(4)), StandardCharsets.UTF_8))
          .contains("\"status\":\"401\"");
      client.send("").expect("535 5.7.8 Error: authentication failed");
    }
  }

  @Test
  void theClientCanCancelAnExchange() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
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
      Properties props = props(smtp);
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.auth.mechanisms", "PLAIN");
      assertThatThrownBy(() -> send(props, "alice", "s3cret"))
          .isInstanceOf(AuthenticationFailedException.class);
      send(props, "alice", "s3cret");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).authenticatedUser()).contains("alice");
    }
  }

  @Test
  void secretsShowWhenAskedTo() {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").showSecrets().start();
        RawClient client = RawClient.connect(smtp)) {
      client.expect("220 localhost ESMTP");
      client.ehlo("client.test");
      String response = b64("\0alice\0s3cret");
      client.send("AUTH PLAIN " + response).expect("235 2.7.0 Authentication successful");
      assertThat(smtp.transcript().toString()).contains("C: AUTH PLAIN " + response);
    }
  }

  @Test
  void whatAClientSendsToAStalledSessionIsMaskedToo() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().user("alice", "s3cret").start()) {
      smtp.script("stall to NOOP");
      String response = b64("\0alice\0s3cret");
      try (RawClient client = RawClient.connect(smtp)) {
        client.expect("220 localhost ESMTP");
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
