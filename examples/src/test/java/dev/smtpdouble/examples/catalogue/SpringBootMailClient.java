package dev.smtpdouble.examples.catalogue;

import dev.smtpdouble.examples.springboot.SignupApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Spring Boot's {@code spring-boot-starter-mail}: the {@link JavaMailSender} that Boot builds from
 * {@code spring.mail.*} properties, in a context started for each server (not timed).
 */
final class SpringBootMailClient implements MailClient {

  @Override
  public String wiring() {
    return "The `JavaMailSender` that the starter builds from `spring.mail.host`/`port`/`username`/`password`, `spring.mail.properties[mail.smtp.*]` and an SSL bundle (`spring.mail.ssl.bundle`, the CA as PEM); a context per fault, started before the clock starts.";
  }

  @Override
  public String name() {
    return "Spring Boot " + SpringBootVersion.getVersion() + " starter-mail";
  }

  /** The {@code spring.mail.*} properties for a server and settings, as a user would write them. */
  static Map<String, Object> properties(String host, int port, ClientSettings settings) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.mail.host", host);
    properties.put("spring.mail.port", port);
    String timeout = String.valueOf(settings.timeoutMillis());
    properties.put("spring.mail.properties[mail.smtp.connectiontimeout]", timeout);
    properties.put("spring.mail.properties[mail.smtp.timeout]", timeout);
    properties.put("spring.mail.properties[mail.smtp.writetimeout]", timeout);
    if (settings.requireStartTls()) {
      properties.put("spring.mail.properties[mail.smtp.starttls.enable]", "true");
      properties.put("spring.mail.properties[mail.smtp.starttls.required]", "true");
      // An SSL bundle whose trust store is the double's CA, given as PEM text.
      properties.put("spring.ssl.bundle.pem.smtp-double.truststore.certificate",
          settings.trust().certificatePem());
      properties.put("spring.mail.ssl.bundle", "smtp-double");
    }
    if (settings.user() != null) {
      properties.put("spring.mail.username", settings.user());
      properties.put("spring.mail.password", settings.password());
      properties.put("spring.mail.properties[mail.smtp.auth]", "true");
    }
    return properties;
  }

  @Override
  public Configured configure(String host, int port, ClientSettings settings) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(SignupApplication.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .registerShutdownHook(false)
            .properties(properties(host, port, settings))
            .run();
    JavaMailSender sender = context.getBean(JavaMailSender.class);
    return new Configured() {
      @Override
      public void send(Mail mail) {
        sender.send(SpringMailClient.message(mail));
      }

      @Override
      public void close() {
        context.close();
      }
    };
  }
}
