package dev.smtpdouble.examples;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** The code under test of the SPEC example: sends the welcome message with Jakarta Mail. */
final class SignupMailer {
  private final String host;
  private final int port;

  SignupMailer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The server refused the welcome message; the reply is in the message. */
  static final class MailRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MailRejectedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  void sendWelcome(String address, String name) {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", host);
    properties.put("mail.smtp.port", String.valueOf(port));
    properties.put("mail.smtp.localhost", "app.example.test");
    properties.put("mail.smtp.connectiontimeout", "5000");
    properties.put("mail.smtp.timeout", "5000");
    Session session = Session.getInstance(properties);
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("shop@example.test"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(address));
      message.setSubject("Welcome");
      message.setText("Hello " + name + ",\r\nthanks for signing up.\r\n", "UTF-8");
      Transport.send(message);
    } catch (MessagingException e) {
      throw new MailRejectedException("the welcome mail to " + address + " failed: " + e, e);
    }
  }
}
