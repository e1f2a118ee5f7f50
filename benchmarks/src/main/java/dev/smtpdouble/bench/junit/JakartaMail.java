package dev.smtpdouble.bench.junit;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Properties;

/**
 * What the Jakarta Mail JUnit tests do, the same with and without a server: compose a small
 * message as an application would (a new {@link Session} per test), then send it, or, with no
 * server, only write it out as the transport would.
 */
public final class JakartaMail {
  private JakartaMail() {}

  /**
   * A message for one test, in a new session configured for the server.
   *
   * @param host the server's host
   * @param port the server's port
   * @param number the test's number, in the subject
   * @return the message
   * @throws MessagingException when Jakarta Mail refuses it
   */
  public static MimeMessage compose(String host, int port, int number) throws MessagingException {
    Properties props = new Properties();
    props.setProperty("mail.smtp.host", host);
    props.setProperty("mail.smtp.port", Integer.toString(port));
    props.setProperty("mail.smtp.connectiontimeout", "10000");
    props.setProperty("mail.smtp.timeout", "10000");
    MimeMessage message = new MimeMessage(Session.getInstance(props));
    message.setFrom(new InternetAddress("sender@bench.test"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress("recipient@bench.test"));
    message.setSubject("test " + number);
    message.setText("One test, one message: the quick brown fox jumps over the lazy dog.\r\n");
    return message;
  }

  /**
   * Sends it with {@link Transport#send}: connect, EHLO, MAIL, RCPT, DATA, QUIT.
   *
   * @param message the message
   * @throws MessagingException when the server refuses it
   */
  public static void send(MimeMessage message) throws MessagingException {
    Transport.send(message);
  }

  /**
   * Writes it out as the transport would, to nowhere: the work of a test with no server.
   *
   * @param message the message
   * @return how many octets
   * @throws MessagingException when Jakarta Mail cannot render it
   * @throws IOException never, in practice
   */
  public static long writeOut(MimeMessage message) throws MessagingException, IOException {
    long[] count = {0};
    message.saveChanges();
    message.writeTo(
        new OutputStream() {
          @Override
          public void write(int b) {
            count[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            count[0] += len;
          }
        });
    return count[0];
  }
}
