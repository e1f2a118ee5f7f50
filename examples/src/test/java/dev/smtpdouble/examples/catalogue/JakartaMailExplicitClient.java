package dev.smtpdouble.examples.catalogue;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Jakarta Mail with an explicit transport: {@code connect}, {@code sendMessage}, {@code close},
 * as code that sends several messages on one connection does (and as Spring's sender does).
 */
final class JakartaMailExplicitClient implements MailClient {

  @Override
  public String wiring() {
    return "`session.getTransport(\"smtp\")`, `connect()`, `sendMessage(message, message.getAllRecipients())`, `close()` in `finally`; the same properties as `Transport.send`.";
  }

  @Override
  public String name() {
    return "Jakarta Mail explicit transport (Angus Mail " + Versions.of(SMTPTransport.class) + ")";
  }

  @Override
  public Configured configure(String host, int port, ClientSettings settings) {
    Properties properties = JakartaMailClient.properties(settings);
    properties.put("mail.smtp.host", host);
    properties.put("mail.smtp.port", String.valueOf(port));
    Session session = Session.getInstance(properties);
    return mail -> {
      MimeMessage message = JakartaMailClient.message(session, mail);
      message.saveChanges();
      try (Transport transport = session.getTransport("smtp")) {
        if (settings.user() != null) {
          transport.connect(settings.user(), settings.password());
        } else {
          transport.connect();
        }
        transport.sendMessage(message, message.getAllRecipients());
      }
    };
  }
}
