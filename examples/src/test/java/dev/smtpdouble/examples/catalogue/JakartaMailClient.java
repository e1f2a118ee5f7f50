package dev.smtpdouble.examples.catalogue;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** Jakarta Mail with Angus Mail: {@code Transport.send}, configured with session properties. */
final class JakartaMailClient implements MailClient {

  @Override
  public String wiring() {
    return "`Transport.send` on a `Session` from properties: `mail.smtp.connectiontimeout`/`timeout`/`writetimeout`, `mail.smtp.starttls.enable`/`required` with `mail.smtp.ssl.socketFactory`, `mail.smtp.auth`.";
  }

  @Override
  public String name() {
    return "Jakarta Mail (Angus Mail " + Versions.of(SMTPTransport.class) + ")";
  }

  /**
   * The session properties for {@code settings}; Spring's {@code JavaMailSenderImpl} takes the
   * same ones.
   */
  static Properties properties(ClientSettings settings) {
    Properties properties = new Properties();
    String timeout = String.valueOf(settings.timeoutMillis());
    properties.put("mail.smtp.connectiontimeout", timeout);
    properties.put("mail.smtp.timeout", timeout);
    properties.put("mail.smtp.writetimeout", timeout);
    if (settings.requireStartTls()) {
      properties.put("mail.smtp.starttls.enable", "true");
      properties.put("mail.smtp.starttls.required", "true");
      properties.put("mail.smtp.ssl.socketFactory", settings.trust().socketFactory());
      properties.put("mail.smtp.ssl.checkserveridentity", "true");
    }
    if (settings.user() != null) {
      properties.put("mail.smtp.auth", "true");
    }
    return properties;
  }

  @Override
  public Configured configure(String host, int port, ClientSettings settings) {
    Properties properties = properties(settings);
    properties.put("mail.smtp.host", host);
    properties.put("mail.smtp.port", String.valueOf(port));
    Session session = Session.getInstance(properties);
    return mail -> {
      MimeMessage message = message(session, mail);
      if (settings.user() != null) {
        Transport.send(message, settings.user(), settings.password());
      } else {
        Transport.send(message);
      }
    };
  }

  static MimeMessage message(Session session, Mail mail) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(mail.from()));
    for (String to : mail.to()) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
    }
    message.setSubject(mail.subject());
    message.setText(mail.body(), "UTF-8");
    return message;
  }
}
