package dev.smtpdouble.examples.docs;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * The code under test of the README's quick start: sends one welcome mail with Jakarta Mail. It
 * stands for your own mailer; copy it to try the quick start in a project of your own.
 */
public class WelcomeMailer {
  private final String host;
  private final int port;

  /**
   * A mailer that talks to one SMTP server.
   *
   * @param host the server's host
   * @param port the server's port
   */
  public WelcomeMailer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * Sends the welcome mail.
   *
   * @param to the new user's address
   * @throws MessagingException when the server refuses it
   */
  public void send(String to) throws MessagingException {
    Properties properties = new Properties();
    properties.put("mail.smtp.host", host);
    properties.put("mail.smtp.port", String.valueOf(port));
    properties.put("mail.smtp.connectiontimeout", "5000");
    properties.put("mail.smtp.timeout", "5000");
    MimeMessage message = new MimeMessage(Session.getInstance(properties));
    message.setFrom(new InternetAddress("shop@example.test"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject("Welcome");
    message.setText("Hello Alice,\r\nthanks for signing up.\r\n", "UTF-8");
    Transport.send(message);
  }
}
