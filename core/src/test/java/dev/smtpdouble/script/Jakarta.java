package dev.smtpdouble.script;

import dev.smtpdouble.SmtpDouble;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** Jakarta Mail (Angus) as a real client of a double, with bounded timeouts. */
final class Jakarta {
  static final String FROM = "shop@example.test";

  private Jakarta() {}

  /** A mail session for the double; {@code readTimeoutMillis} bounds every read. */
  static Session session(SmtpDouble smtp, int readTimeoutMillis, String... extra) {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", smtp.host());
    properties.put("mail.smtp.port", String.valueOf(smtp.port()));
    properties.put("mail.smtp.localhost", "app.example.test");
    properties.put("mail.smtp.connectiontimeout", "2000");
    properties.put("mail.smtp.timeout", String.valueOf(readTimeoutMillis));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      properties.put(extra[i], extra[i + 1]);
    }
    return Session.getInstance(properties);
  }

  /** A session with a 5 s read timeout. */
  static Session session(SmtpDouble smtp) {
    return session(smtp, 5000);
  }

  /** A small text message to the given recipients. */
  static MimeMessage message(Session session, String subject, String... to)
      throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(FROM));
    for (String recipient : to) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
    }
    message.setSubject(subject);
    message.setText("Hello,\r\nthis is " + subject + ".\r\n", "UTF-8");
    return message;
  }

  /** Sends one message with {@link Transport#send}, as most application code does. */
  static void send(SmtpDouble smtp, String subject, String... to) throws MessagingException {
    Transport.send(message(session(smtp), subject, to));
  }

  /** A connected transport, for commands such as HELP and NOOP; close it. */
  static SMTPTransport connect(Session session) throws MessagingException {
    SMTPTransport transport = (SMTPTransport) session.getTransport("smtp");
    transport.connect();
    return transport;
  }

  /** Closes a transport, ignoring a server that is gone already. */
  static void closeQuietly(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException e) {
      // the server went away; nothing to close
    }
  }
}
