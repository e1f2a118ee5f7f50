package dev.smtpdouble.junit5;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Extension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test an {@link dev.smtpdouble.SmtpDouble SmtpDouble}: started before it, stopped after it
 * (also when it fails or times out), on a free port unless told otherwise.
 *
 * <pre>{@code
 * @SmtpServer                                   // a fresh double for every test method
 * class SignupMailerTest {
 *   @Test
 *   void sendsWelcome(SmtpDouble smtp) { ... }
 *
 *   @Test
 *   @SmtpServer(script = "reply 354 then 554 after DATA")
 *   void reportsRejectedMail(SmtpDouble smtp) { ... }
 * }
 * }</pre>
 *
 * <p>Where it goes decides which double it configures and how long that double lives:
 *
 * <ul>
 *   <li><b>On a test class</b> (inherited by subclasses, and applying to {@code @Nested} classes
 *       inside it): every test that takes an {@code SmtpDouble} parameter without an annotation of
 *       its own gets a fresh double with these settings.
 *   <li><b>On a test method</b>: refines the class's settings for that test. Its script lines are
 *       added after the class's; every other attribute it sets overrides the class's.
 *   <li><b>On an instance field</b> of type {@code SmtpDouble}: a fresh double for every test, set
 *       before {@code @BeforeEach} methods run; in {@code @Nested} tests the fields of the
 *       enclosing instances are filled too.
 *   <li><b>On a static field</b>: one double for the whole class, started before {@code @BeforeAll}
 *       methods run and {@link dev.smtpdouble.SmtpDouble#reset() reset} before each test, so each
 *       test starts with no messages, no transcript and only the annotation's rules. Tests that
 *       share a static double must not run concurrently with each other.
 *   <li><b>On a parameter</b> of type {@code SmtpDouble} (of a test, {@code @BeforeEach} or
 *       {@code @AfterEach} method): a double of its own for that test, whatever the class says. Use
 *       it, or annotated fields, for several doubles in one test, for instance a primary and a
 *       backup relay.
 *   <li><b>On an annotation</b>: a composed annotation, such as {@code @GreylistingServer}, that
 *       carries these settings.
 * </ul>
 *
 * <p>Field, parameter and class annotations each describe their own double; only a method's
 * annotation combines with another (its class's). A parameter without an annotation of its own is
 * the test's double, configured by the method and class annotations, and is the same double in
 * {@code @BeforeEach}, the test and {@code @AfterEach}.
 *
 * <p>TLS, AUTH and strict mode are attributes too ({@link #tls()}, {@link #users()}, {@link
 * #strict()}, ...); clients trust the double's own certificate with {@link
 * dev.smtpdouble.SmtpDouble#clientTls()}. For fault tests, {@link #certificate()} serves an
 * expired, not yet valid, wrong-host or self-signed certificate instead, and the test gets the
 * matching client trust material as a {@link TestCertificate} parameter:
 *
 * <pre>{@code
 * @Test
 * @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.EXPIRED)
 * void reportsAnExpiredCertificate(SmtpDouble smtp, TestCertificate certificate) { ... }
 * }</pre>
 *
 * <p>When a test fails, the failure gets the transcript of every double the test used, as a
 * suppressed exception and as a published report entry. When it passes, nothing is printed.
 *
 * <p>Configuration parameters (in {@code junit-platform.properties}, as system properties or in the
 * build tool's configuration) set defaults for the whole run: {@value
 * #AWAIT_TIMEOUT_PROPERTY_NAME}, {@value #FAIL_ON_UNUSED_RULES_PROPERTY_NAME} and {@value
 * #FAIL_ON_VIOLATIONS_PROPERTY_NAME}. Attributes set on an annotation win over them.
 *
 * @since 0.1
 */
@Target({
  ElementType.TYPE,
  ElementType.METHOD,
  ElementType.FIELD,
  ElementType.PARAMETER,
  ElementType.ANNOTATION_TYPE
})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SmtpServerExtension.class)
public @interface SmtpServer {

  /**
   * The configuration parameter for how long the assertions of {@link
   * dev.smtpdouble.assertj.SmtpAssertions} wait by default for messages to arrive at doubles the
   * extension started: {@code smtpdouble.await.timeout}, such as {@code 10 s} or {@code 500ms} (a
   * number alone means seconds). Without it, 5 seconds. {@link #awaitTimeout()} overrides it for
   * one double, {@code within(Duration)} for one assertion.
   */
  String AWAIT_TIMEOUT_PROPERTY_NAME = "smtpdouble.await.timeout";

  /**
   * The configuration parameter that switches {@link #failOnUnusedRules()} on ({@code true}) for
   * every double whose annotation leaves it at {@link Toggle#DEFAULT}: {@code
   * smtpdouble.fail.on.unused.rules}.
   */
  String FAIL_ON_UNUSED_RULES_PROPERTY_NAME = "smtpdouble.fail.on.unused.rules";

  /**
   * The configuration parameter that switches {@link #failOnViolations()} on ({@code true}) for
   * every double whose annotation leaves it at {@link Toggle#DEFAULT}: {@code
   * smtpdouble.fail.on.violations}.
   */
  String FAIL_ON_VIOLATIONS_PROPERTY_NAME = "smtpdouble.fail.on.violations";

  /**
   * Rules the double starts with, in the script language, one or more lines each; {@link
   * dev.smtpdouble.SmtpDouble#reset()} keeps them. A method annotation's lines are added after its
   * class's, so they win where both match.
   *
   * <pre>{@code
   * @SmtpServer(script = {
   *     "reply 451 \"4.7.1 Greylisted\" to RCPT once",
   *     "reply 250 \"mx.test\" \"SIZE 1000\" to EHLO"})
   * }</pre>
   *
   * @return the rules; none by default
   */
  String[] script() default {};

  /**
   * A provider persona the double answers as, written as the script language writes it after
   * {@code persona}: a name ({@code gmail-submission}, {@code m365-submission}, {@code ses-smtp},
   * {@code gmail-mx}), then optionally {@code with SITUATION, ...}, {@code limits xFACTOR} and
   * {@code limit NAME N per DURATION}. The other attributes override the persona's settings, and
   * the script's rules win over its replies. A method annotation's persona replaces its class's.
   *
   * <pre>{@code
   * @SmtpServer(persona = "ses-smtp with throttling", users = "AKIAEXAMPLE:secret")
   * }</pre>
   *
   * @return the persona; empty, the default, for none
   * @see dev.smtpdouble.Persona
   */
  String persona() default "";

  /**
   * The port to listen on; 0, the default, picks a free one. A fixed port breaks parallel runs;
   * read {@link dev.smtpdouble.SmtpDouble#port()} instead wherever possible.
   *
   * @return the port, or 0
   */
  int port() default 0;

  /**
   * The address to listen on; empty for the default, 127.0.0.1.
   *
   * @return an IP address or host name, or empty
   */
  String bindAddress() default "";

  /**
   * The host name in the greeting and the EHLO reply; empty for the default, {@code localhost}.
   *
   * @return one word, or empty
   */
  String hostname() default "";

  /**
   * The largest message accepted, in octets; 0 for no limit; -1, the default, keeps the double's
   * default of 50 MiB.
   *
   * @return the limit, 0 or -1
   */
  long sizeLimit() default -1;

  /**
   * The ESMTP extensions offered. Empty, the default, means unchanged: all of them, or for a method
   * annotation, those its class offers. To leave a few out, use {@link #withoutExtensions()}; to
   * offer none, leave out all of them.
   *
   * @return the extensions to offer, or empty
   */
  Extension[] extensions() default {};

  /**
   * ESMTP extensions not to offer, taken from {@link #extensions()} (or from what that means when
   * empty): {@code withoutExtensions = Extension.PIPELINING} to see how the client copes without
   * pipelining.
   *
   * @return the extensions to leave out; none by default
   */
  Extension[] withoutExtensions() default {};

  /**
   * How long a command may take to arrive before the double answers 421 and closes, such as {@code
   * "2s"} or {@code "500ms"}; {@code "0"} for no timeout; empty for the default, 60 s.
   *
   * @return the idle timeout, or empty
   */
  String idleTimeout() default "";

  /**
   * How long the data of one message may take to arrive, such as {@code "30s"}; {@code "0"} for no
   * timeout; empty for the default, 5 minutes.
   *
   * @return the data timeout, or empty
   */
  String dataTimeout() default "";

  /**
   * How many sessions may be open at once; -1, the default, keeps the double's default of 1000.
   *
   * @return the limit, or -1
   */
  int maxSessions() default -1;

  /**
   * How many recipients one message may have; -1, the default, keeps the double's default of 1000.
   *
   * @return the limit, or -1
   */
  int maxRecipients() default -1;

  /**
   * How long the assertions wait for this double by default, such as {@code "10 s"}; empty for the
   * configuration parameter {@value #AWAIT_TIMEOUT_PROPERTY_NAME}, or 5 seconds without it.
   *
   * @return the timeout, or empty
   */
  String awaitTimeout() default "";

  /**
   * Whether a test that passed fails when a rule of this double never acted during it: a scripted
   * fault the code under test never reached usually means the test does not test what it says.
   * {@link Toggle#DEFAULT} follows the class annotation, then the configuration parameter {@value
   * #FAIL_ON_UNUSED_RULES_PROPERTY_NAME}, and is off without either.
   *
   * @return whether unused rules fail the test
   */
  Toggle failOnUnusedRules() default Toggle.DEFAULT;

  /**
   * Whether a test that passed fails when the client violated the SMTP protocol with this double
   * (see {@link dev.smtpdouble.SmtpDouble#violations()}). {@link Toggle#DEFAULT} follows the class
   * annotation, then the configuration parameter {@value #FAIL_ON_VIOLATIONS_PROPERTY_NAME}, and is
   * off without either.
   *
   * @return whether violations fail the test
   */
  Toggle failOnViolations() default Toggle.DEFAULT;

  /**
   * How the double offers TLS: {@link TlsMode#STARTTLS} or {@link TlsMode#IMPLICIT} (SMTPS), with
   * the double's own certificate unless {@link #certificate()} says otherwise; clients trust it
   * with {@link dev.smtpdouble.SmtpDouble#clientTls()}. {@link TlsMode#DEFAULT} follows the class
   * annotation, and means no TLS without one; {@link TlsMode#OFF} switches a class's TLS off.
   *
   * <pre>{@code
   * @SmtpServer(tls = TlsMode.STARTTLS, requireTls = Toggle.ON)
   * }</pre>
   *
   * @return the TLS mode
   */
  TlsMode tls() default TlsMode.DEFAULT;

  /**
   * Whether MAIL and AUTH need TLS first ({@code 530 5.7.0 Must issue a STARTTLS command first}),
   * as {@link dev.smtpdouble.Tls#required()}. Needs {@link #tls()}. {@link Toggle#DEFAULT} follows
   * the class annotation, and is off without one.
   *
   * @return whether TLS is required
   */
  Toggle requireTls() default Toggle.DEFAULT;

  /**
   * Whether STARTTLS is accepted without being advertised in the EHLO reply, as {@link
   * dev.smtpdouble.Tls#hidden()}: does the client try it anyway? Needs {@link #tls()}. {@link
   * Toggle#DEFAULT} follows the class annotation, and is off without one.
   *
   * @return whether STARTTLS is hidden
   */
  Toggle hideStarttls() default Toggle.DEFAULT;

  /**
   * The certificate served over TLS: the double's own ({@link ServerCertificate#BUILT_IN}, also
   * what {@link ServerCertificate#DEFAULT} means without a class annotation that says), or a fresh
   * one that is valid, expired, not yet valid, for the wrong host or self-signed, made with Bouncy
   * Castle ({@code org.bouncycastle:bcpkix-jdk18on} on the test class path). Needs {@link #tls()}.
   *
   * <p>The client's trust material for a made certificate comes with it: the test's double (an
   * unannotated {@code SmtpDouble} parameter) gives it to a {@link TestCertificate} parameter; any
   * double of the extension gives it through {@link TestCertificate#of(dev.smtpdouble.SmtpDouble)}.
   * Its {@code clientTls()} is no substitute: it trusts whatever the double serves.
   *
   * <pre>{@code
   * @Test
   * @SmtpServer(tls = TlsMode.STARTTLS, certificate = ServerCertificate.EXPIRED)
   * void refusesAnExpiredCertificate(SmtpDouble smtp, TestCertificate certificate) {
   *   props.put("mail.smtp.ssl.socketFactory", certificate.socketFactory());
   *   ...
   * }
   * }</pre>
   *
   * @return the certificate to serve
   */
  ServerCertificate certificate() default ServerCertificate.DEFAULT;

  /**
   * AUTH users, each {@code "name:secret"} (the secret is everything after the first colon: a
   * password, or the bearer token for XOAUTH2). With at least one, the double offers AUTH with
   * {@link #authMechanisms()}. Empty, the default, keeps the class annotation's users; a method's
   * users replace its class's.
   *
   * <pre>{@code
   * @SmtpServer(users = {"alice:s3cret", "bob@example.test:ya29.token"})
   * }</pre>
   *
   * @return the users
   */
  String[] users() default {};

  /**
   * The SASL mechanisms AUTH offers; empty, the default, keeps the class annotation's, or all four
   * (PLAIN, LOGIN, CRAM-MD5, XOAUTH2) without one.
   *
   * @return the mechanisms
   */
  AuthMechanism[] authMechanisms() default {};

  /**
   * Whether MAIL needs a successful AUTH first ({@code 530 5.7.0 Authentication required}). Needs
   * {@link #users()}. {@link Toggle#DEFAULT} follows the class annotation, and is off without one.
   *
   * @return whether AUTH is required
   */
  Toggle requireAuth() default Toggle.DEFAULT;

  /**
   * Whether PLAIN, LOGIN and XOAUTH2 on an unencrypted session get {@code 538 5.7.11 Encryption
   * required for requested authentication mechanism}. {@link Toggle#DEFAULT} follows the class
   * annotation, and is off without one.
   *
   * @return whether plaintext mechanisms need TLS
   */
  Toggle plaintextAuthNeedsTls() default Toggle.DEFAULT;

  /**
   * Whether the transcript shows AUTH secrets instead of {@code ****}. {@link Toggle#DEFAULT}
   * follows the class annotation, and is off without one.
   *
   * @return whether secrets show
   */
  Toggle showSecrets() default Toggle.DEFAULT;

  /**
   * Strict mode: client violations (a bare LF, MAIL before EHLO, plaintext AUTH without TLS, ...)
   * are refused with the reply a strict server gives instead of only noted, as {@link
   * dev.smtpdouble.SmtpDouble.Builder#strict()}. {@link Toggle#DEFAULT} follows the class
   * annotation, and is off without one.
   *
   * @return whether the double is strict
   */
  Toggle strict() default Toggle.DEFAULT;

  /**
   * Notes messages without the Date, From or Message-ID header a message in transfer carries, as
   * {@link dev.smtpdouble.SmtpDouble.Builder#checkHeaders()}: for a double that stands in for a
   * relay or an MX. {@link Toggle#DEFAULT} follows the class annotation, and is off without one.
   *
   * @return whether headers are checked
   */
  Toggle checkHeaders() default Toggle.DEFAULT;
}
