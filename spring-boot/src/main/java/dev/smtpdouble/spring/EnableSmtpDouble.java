package dev.smtpdouble.spring;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Extension;
import dev.smtpdouble.junit5.ServerCertificate;
import dev.smtpdouble.junit5.SmtpServer;
import dev.smtpdouble.junit5.TlsMode;
import dev.smtpdouble.junit5.Toggle;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts an {@link dev.smtpdouble.SmtpDouble SmtpDouble} before a Spring test's application context,
 * points the application's mail settings at it and makes it a bean, so a {@code @SpringBootTest}
 * whose application sends through the starter's {@code JavaMailSender} needs no
 * {@code @DynamicPropertySource} and no fixed port.
 *
 * <pre>{@code
 * @SpringBootTest
 * @EnableSmtpDouble                      // or (script = "reply 421 to MAIL once", ...)
 * class SignupServiceTest {
 *   @Autowired SignupService signup;     // uses the starter's JavaMailSender
 *   @Autowired SmtpDouble smtp;          // the double this context's spring.mail.* points at
 *
 *   @Test
 *   void sendsWelcome() {
 *     signup.register("alice@example.test");
 *     assertThat(smtp).hasReceived(1).first().hasSubject("Welcome");
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The double takes the settings of {@link SmtpServer @SmtpServer}, checked in the same way:
 *       script, port, TLS, AUTH users, strict mode, ... Unlike {@code @SmtpServer}, this annotation
 *       registers no JUnit extension and so starts no second double for an {@code SmtpDouble}
 *       parameter: autowire the bean into a field, or into a parameter annotated with {@code
 *       @Autowired}.
 *   <li>Before the context starts, the double's host and port go into the {@code Environment}
 *       ({@link #hostProperty()}, {@link #portProperty()}), ahead of every other property source.
 *       With {@link #users()}, the first user's name and secret go into {@link
 *       #usernameProperty()} and {@link #passwordProperty()}, and {@code mail.smtp.auth} into
 *       {@link #javaMailProperties()}. When the double offers TLS, by {@link #tls()} or by its
 *       {@link #persona()}, {@code mail.smtp.starttls.enable} and
 *       {@code mail.smtp.starttls.required} (or {@code mail.smtp.ssl.enable} for {@link
 *       TlsMode#IMPLICIT}) go into {@link #javaMailProperties()}, and an SSL bundle named {@link
 *       #sslBundle()} that trusts the double's CA becomes {@code spring.mail.ssl.bundle}.
 *   <li>The double is a bean of type {@code SmtpDouble} named {@value #BEAN_NAME}: {@code @Autowired
 *       SmtpDouble smtp}. It lives as long as its context, Spring's context cache included, and
 *       closes with it. It keeps serving while Spring Framework 7 pauses the context idle in the
 *       cache: it is no {@code Lifecycle} bean, so pausing does not stop it.
 *   <li>Before each test method it is {@link dev.smtpdouble.SmtpDouble#reset() reset}, so no test
 *       sees another's messages, even in a cached context shared by several test classes.
 *   <li>When a test fails, its failure carries the double's transcript, every reply code
 *       explained, as with {@code @SmtpServer}. {@link #failOnUnusedRules()} and {@link
 *       #failOnViolations()} fail tests that passed, as there.
 *   <li>The annotation's settings are part of the context cache key: test classes with the same
 *       settings (and otherwise the same configuration) share one context and one double; other
 *       settings get a context of their own. {@code @Nested} classes inherit the enclosing class's
 *       annotation; one of their own refines it as a method's {@code @SmtpServer} refines its
 *       class's (script lines added, other attributes it sets overriding).
 *   <li>The configuration parameters named on {@code @SmtpServer} ({@value
 *       SmtpServer#AWAIT_TIMEOUT_PROPERTY_NAME}, {@value
 *       SmtpServer#FAIL_ON_UNUSED_RULES_PROPERTY_NAME}, {@value
 *       SmtpServer#FAIL_ON_VIOLATIONS_PROPERTY_NAME}) are read from the context's {@code
 *       Environment}: test properties, application properties, system properties.
 * </ul>
 *
 * @since 0.1
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EnableSmtpDouble {

  /** The name of the {@code SmtpDouble} bean: {@value}. */
  String BEAN_NAME = "smtpDouble";

  /**
   * As {@link SmtpServer#script()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String[] script() default {};

  /**
   * As {@link SmtpServer#persona()}. The Spring properties follow the double the persona makes: a
   * persona with TLS gets the same {@code mail.smtp.starttls.*} properties and SSL bundle as
   * {@link #tls()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String persona() default "";

  /**
   * As {@link SmtpServer#port()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  int port() default 0;

  /**
   * As {@link SmtpServer#bindAddress()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String bindAddress() default "";

  /**
   * As {@link SmtpServer#hostname()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String hostname() default "";

  /**
   * As {@link SmtpServer#sizeLimit()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  long sizeLimit() default -1;

  /**
   * As {@link SmtpServer#extensions()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Extension[] extensions() default {};

  /**
   * As {@link SmtpServer#withoutExtensions()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Extension[] withoutExtensions() default {};

  /**
   * As {@link SmtpServer#idleTimeout()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String idleTimeout() default "";

  /**
   * As {@link SmtpServer#dataTimeout()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String dataTimeout() default "";

  /**
   * As {@link SmtpServer#maxSessions()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  int maxSessions() default -1;

  /**
   * As {@link SmtpServer#maxRecipients()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  int maxRecipients() default -1;

  /**
   * As {@link SmtpServer#awaitTimeout()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String awaitTimeout() default "";

  /**
   * As {@link SmtpServer#failOnUnusedRules()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle failOnUnusedRules() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#failOnViolations()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle failOnViolations() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#tls()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  TlsMode tls() default TlsMode.DEFAULT;

  /**
   * As {@link SmtpServer#requireTls()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle requireTls() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#hideStarttls()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle hideStarttls() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#certificate()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  ServerCertificate certificate() default ServerCertificate.DEFAULT;

  /**
   * As {@link SmtpServer#users()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  String[] users() default {};

  /**
   * As {@link SmtpServer#authMechanisms()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  AuthMechanism[] authMechanisms() default {};

  /**
   * As {@link SmtpServer#requireAuth()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle requireAuth() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#plaintextAuthNeedsTls()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle plaintextAuthNeedsTls() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#showSecrets()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle showSecrets() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#strict()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle strict() default Toggle.DEFAULT;

  /**
   * As {@link SmtpServer#checkHeaders()}.
   *
   * @return the value; the same default as {@code @SmtpServer}
   */
  Toggle checkHeaders() default Toggle.DEFAULT;

  /**
   * The property set to the double's host, {@code 127.0.0.1} unless {@link #bindAddress()} says
   * otherwise; empty to set none.
   *
   * @return the property name; {@code spring.mail.host} by default
   */
  String hostProperty() default "spring.mail.host";

  /**
   * The property set to the double's port; empty to set none.
   *
   * @return the property name; {@code spring.mail.port} by default
   */
  String portProperty() default "spring.mail.port";

  /**
   * The property set to the name of the first of {@link #users()}, when there are users; empty to
   * set none.
   *
   * @return the property name; {@code spring.mail.username} by default
   */
  String usernameProperty() default "spring.mail.username";

  /**
   * The property set to the secret of the first of {@link #users()}, when there are users; empty
   * to set none.
   *
   * @return the property name; {@code spring.mail.password} by default
   */
  String passwordProperty() default "spring.mail.password";

  /**
   * The prefix of the Jakarta Mail session properties set for AUTH and TLS ({@code
   * <prefix>.mail.smtp.auth}, {@code <prefix>.mail.smtp.starttls.enable}, ...); empty to set none.
   *
   * @return the prefix; {@code spring.mail.properties} by default
   */
  String javaMailProperties() default "spring.mail.properties";

  /**
   * When the double offers TLS ({@link #tls()}, or a {@link #persona()} with TLS), the name of the
   * SSL bundle that trusts the double's CA (the CA of {@link #certificate()} when it is made for a
   * fault test): {@code spring.ssl.bundle.pem.<name>.truststore.certificate} is set to the CA as
   * PEM, and {@code spring.mail.ssl.bundle} to the name. Empty to set neither.
   *
   * @return the bundle name; {@code smtp-double} by default
   */
  String sslBundle() default "smtp-double";
}
