package dev.smtpdouble.internal.cli;

import dev.smtpdouble.testing.CliProcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's smtplib against the command line with {@code --tls}, {@code --smtps} and {@code --user}:
 * {@code starttls()} with {@code ssl.create_default_context(cafile=DIR/ca.pem)}, so the host name
 * and the chain are checked, then {@code login()}; and every failure a Python mailer meets: a bad
 * password, TLS required but not used, a failed handshake, a CA it does not trust, and expired and
 * wrong-host certificates served with {@code --keystore} (made with the JDK's keytool).
 */
@Timeout(120)
class PythonSmtplibTlsTest {
  private static boolean python;

  /**
   * What every script shares: the message, the validating context, and {@code outcome()}, which
   * runs a step and prints what happened in one line: {@code ok}, {@code smtp CODE TEXT}, {@code
   * verify MESSAGE} (certificate refused) or {@code ssl REASON} (handshake failed).
   */
  private static final String PRELUDE =
      String.join(
          "\n",
          "import smtplib, ssl, sys",
          "port = int(sys.argv[1])",
          "ctx = ssl.create_default_context(cafile=sys.argv[2])",
          "MSG = b'From: app@example.test\\r\\nTo: alice@example.test\\r\\nSubject: Secure\\r\\n"
              + "\\r\\nover TLS\\r\\n'",
          "def outcome(step):",
          "    try:",
          "        step()",
          "        print('ok')",
          "    except smtplib.SMTPResponseException as e:",
          "        print('smtp', e.smtp_code, e.smtp_error.decode())",
          "    except ssl.SSLCertVerificationError as e:",
          "        print('verify', e.verify_message)",
          "    except ssl.SSLError as e:",
          "        print('ssl', e.reason)",
          "");

  @TempDir Path folder;

  private final List<CliProcess> started = new ArrayList<>();

  @BeforeAll
  static void findPython() {
    python = Tools.available("python3");
  }

  @BeforeEach
  void needsPython() {
    assumeTrue(python, "python3 is not installed: the smtplib TLS checks are skipped");
  }

  @AfterEach
  void stopEveryProcess() {
    started.forEach(CliProcess::close);
  }

  private Path mailbox() {
    return folder.resolve("mailbox");
  }

  /** Starts the command line with a mailbox and these options; returns its port. */
  private int start(String... options) {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--mailbox", mailbox().toString()));
    args.addAll(List.of(options));
    CliProcess cli = CliProcess.start(args.toArray(String[]::new));
    started.add(cli);
    return cli.awaitReady();
  }

  /** Runs the prelude and a script with the port and the CA file; returns what it printed. */
  private String python(int port, Path ca, String... script) {
    Tools.Result result =
        Tools.python(
            folder,
            30,
            PRELUDE + String.join("\n", script) + "\n",
            String.valueOf(port),
            ca.toString());
    assertThat(result.err()).as("python's standard error").isEmpty();
    return result.out();
  }

  private String transcript(String text) {
    return Tools.awaitContent(mailbox().resolve("transcript.log"), text);
  }

  @Test
  void startTlsThenLoginWithTheCaTheMailboxHolds() {
    int port = start("--tls", "--require-tls", "--user", "alice:s3cret", "--require-auth");
    Path ca = mailbox().resolve("ca.pem");
    assertThat(ca).exists();

    String out =
        python(
            port,
            ca,
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "s.ehlo('client.test')",
            "print('before', s.has_extn('starttls'))",
            "s.starttls(context=ctx)",
            "s.ehlo('client.test')",
            "print('after', s.has_extn('starttls'), s.sock.version())",
            "outcome(lambda: s.login('alice', 's3cret'))",
            "outcome(lambda: s.sendmail('app@example.test', ['alice@example.test'], MSG))",
            "s.quit()");

    assertThat(out).isEqualTo("before True\nafter False TLSv1.3\nok\nok\n");
    assertThat(Tools.awaitContent(mailbox().resolve("000001.eml"), "over TLS"))
        .isEqualTo(
            "From: app@example.test\r\nTo: alice@example.test\r\nSubject: Secure\r\n\r\n"
                + "over TLS\r\n");
    // smtplib prefers CRAM-MD5 when the server offers it; the password never crosses the wire
    assertThat(transcript("* authenticated as alice with CRAM-MD5"))
        .contains("C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "* TLS started: TLSv1.3 ")
        .contains("C: AUTH CRAM-MD5", "S: 235 2.7.0 Authentication successful")
        .doesNotContain("s3cret");
  }

  @Test
  void loginWithEachMechanismSmtplibSpeaks() {
    int port = start("--tls", "--user", "alice:s3cret", "--require-auth");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "for mech, auth in [('CRAM-MD5', 'auth_cram_md5'), ('PLAIN', 'auth_plain'),",
            "                   ('LOGIN', 'auth_login')]:",
            "    s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "    s.starttls(context=ctx)",
            "    s.ehlo('client.test')",
            "    s.user, s.password = 'alice', 's3cret'",
            "    outcome(lambda: s.auth(mech, getattr(s, auth)))",
            "    outcome(lambda: s.sendmail('app@example.test', ['alice@example.test'], MSG))",
            "    s.quit()");

    assertThat(out).isEqualTo("ok\nok\nok\nok\nok\nok\n");
    assertThat(transcript("* authenticated as alice with LOGIN"))
        .contains("* authenticated as alice with CRAM-MD5", "* authenticated as alice with PLAIN")
        .contains("C: AUTH PLAIN ****")
        .doesNotContain("s3cret");
    assertThat(Tools.awaitContent(mailbox().resolve("000003.eml"), "over TLS")).endsWith("over TLS\r\n");
  }

  @Test
  void smtpSslSpeaksImplicitTls() {
    int port = start("--smtps", "--user", "alice:s3cret");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "s = smtplib.SMTP_SSL('127.0.0.1', port, context=ctx, timeout=10)",
            "print(s.sock.version())",
            "outcome(lambda: s.login('alice', 's3cret'))",
            "outcome(lambda: s.sendmail('app@example.test', ['alice@example.test'], MSG))",
            "s.quit()");

    assertThat(out).isEqualTo("TLSv1.3\nok\nok\n");
    assertThat(transcript("* authenticated as alice"))
        .contains("* TLS started: TLSv1.3 ")
        .doesNotContain("C: STARTTLS");
  }

  @Test
  void aBadPasswordIsRefusedWith535() {
    int port = start("--tls", "--user", "alice:s3cret");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "s.starttls(context=ctx)",
            "outcome(lambda: s.login('alice', 'wrong'))",
            "s.quit()");

    assertThat(out).isEqualTo("smtp 535 5.7.8 Error: authentication failed\n");
  }

  @Test
  void tlsRequiredButNotUsedIsRefusedWith530() {
    int port = start("--tls", "--require-tls");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "outcome(lambda: s.sendmail('app@example.test', ['alice@example.test'], MSG))",
            "s.quit()");

    assertThat(out).isEqualTo("smtp 530 5.7.0 Must issue a STARTTLS command first\n");
    assertThat(mailbox().resolve("000001.eml")).doesNotExist();
  }

  @Test
  void plaintextAuthBeforeTlsIsRefusedWith538() {
    int port = start("--tls", "--user", "alice:s3cret", "--auth-needs-tls");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "s.ehlo('client.test')",
            "print(s.esmtp_features['auth'])",
            "s.user, s.password = 'alice', 's3cret'",
            "outcome(lambda: s.auth('PLAIN', s.auth_plain))",
            "s.starttls(context=ctx)",
            "s.ehlo('client.test')",
            "print(s.esmtp_features['auth'])",
            "outcome(lambda: s.auth('PLAIN', s.auth_plain))",
            "s.quit()");

    assertThat(out)
        .isEqualTo(
            " CRAM-MD5\n"
                + "smtp 538 5.7.11 Encryption required for requested authentication mechanism\n"
                + " PLAIN LOGIN CRAM-MD5 XOAUTH2\n"
                + "ok\n");
  }

  @Test
  void aFailedHandshakeIsAnSslError() {
    int port = start("--tls", "--rule", "tls-fail to STARTTLS");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "outcome(lambda: s.starttls(context=ctx))");

    assertThat(out).isEqualTo("ssl SSLV3_ALERT_HANDSHAKE_FAILURE\n");
    assertThat(transcript("* TLS handshake failed by script"))
        .contains("S: 220 2.0.0 Ready to start TLS");
  }

  @Test
  void withoutTheCaTheCertificateIsNotTrusted() {
    int port = start("--tls");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "plain = ssl.create_default_context()",
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "outcome(lambda: s.starttls(context=plain))");

    assertThat(out).matches("verify self.signed certificate in certificate chain\n");
  }

  @Test
  void anExpiredCertificateFromTheKeyStoreIsRefused() {
    Path store = keytool("expired", "localhost", "-startdate", "-30d", "-validity", "10");
    int port = start("--tls", "--keystore", store.toString(), "--keystore-password", "changeit");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "outcome(lambda: s.starttls(context=ctx))");

    assertThat(out).isEqualTo("verify certificate has expired\n");
    assertThat(transcript("* TLS handshake failed")).contains("C: STARTTLS");
  }

  @Test
  void aCertificateForAnotherHostFromTheKeyStoreIsRefused() {
    Path store = keytool("wrong-host", "wrong.example.test", "-validity", "30");
    int port = start("--tls", "--keystore", store.toString(), "--keystore-password", "changeit");

    String out =
        python(
            port,
            mailbox().resolve("ca.pem"),
            "s = smtplib.SMTP('127.0.0.1', port, timeout=10)",
            "outcome(lambda: s.starttls(context=ctx))",
            "s = smtplib.SMTP('localhost', port, timeout=10)",
            "outcome(lambda: s.starttls(context=ctx))");

    assertThat(out)
        .isEqualTo(
            "verify IP address mismatch, certificate is not valid for '127.0.0.1'.\n"
                + "verify Hostname mismatch, certificate is not valid for 'localhost'.\n");
  }

  /**
   * A PKCS12 key store with a self-signed EC certificate for one DNS name (with 127.0.0.1 too,
   * unless the name is another host), made by the JDK's keytool; its password is {@code changeit}.
   */
  private Path keytool(String name, String host, String... validity) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "the JDK has no keytool: " + keytool);
    Path store = folder.resolve(name + ".p12");
    String names = host.equals("localhost") ? "dns:localhost,ip:127.0.0.1" : "dns:" + host;
    List<String> command =
        new ArrayList<>(
            List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + host,
                "-ext",
                "SAN=" + names,
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit"));
    command.addAll(List.of(validity));
    Tools.Result result = Tools.run(folder, 60, command);
    assertThat(result.status()).as("keytool: " + result.out() + result.err()).isZero();
    return store;
  }

}
