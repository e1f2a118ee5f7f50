package dev.smtpdouble.testing;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * Jakarta Mail as a validating client: host name checks on, trusting only the socket factory it is
 * given, bounded timeouts.
 *
 * <pre>{@code
 * SecureMail.send(SecureMail.starttls(smtp, smtp.clientTls().socketFactory()), "alice", "s3cret");
 * }</pre>
 */
public final class SecureMail {
  private SecureMail() {}

  /** Plain SMTP to the double: host, port, EHLO name and timeouts. */
  public static Properties plain(SmtpDouble smtp) {
    Properties props = new Properties();
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", String.valueOf(smtp.port()));
    props.put("mail.smtp.localhost", "client.test");
    props.put("mail.smtp.connectiontimeout", "5000");
    props.put("mail.smtp.timeout", "5000");
    props.put("mail.smtp.writetimeout", "5000");
    return props;
  }

  /** STARTTLS, required, with the host name check and only this factory's trust. */
  public static Properties starttls(SmtpDouble smtp, SSLSocketFactory trust) {
    Properties props = plain(smtp);
    props.put("mail.smtp.starttls.enable", "true");
    props.put("mail.smtp.starttls.required", "true");
    props.put("mail.smtp.ssl.socketFactory", trust);
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    return props;
  }

  /**
   * Implicit TLS (SMTPS), with the host name check and only this factory's trust. Without {@code
   * mail.smtp.socketFactory.fallback=false}, Jakarta Mail would retry a failed handshake with the
   * JDK's default trust and report that failure instead.
   */
  public static Properties implicit(SmtpDouble smtp, SSLSocketFactory trust) {
    Properties props = plain(smtp);
    props.put("mail.smtp.ssl.enable", "true");
    props.put("mail.smtp.ssl.socketFactory", trust);
    props.put("mail.smtp.socketFactory.fallback", "false");
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    return props;
  }

  /** Sends a message without AUTH. */
  public static void send(Properties props) throws MessagingException {
    send(props, null, null);
  }

  /** Sends a message; with a user, {@code mail.smtp.auth} is switched on. */
  public static void send(Properties props, String user, String secret) throws MessagingException {
    Properties copy = new Properties();
    copy.putAll(props);
    if (user != null) {
      copy.put("mail.smtp.auth", "true");
    }
    Session session = Session.getInstance(copy);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("app@example.test"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.test"));
    message.setSubject("Secure");
    message.setText("over TLS\r\n");
    if (user == null) {
      Transport.send(message);
    } else {
      Transport.send(message, user, secret);
    }
  }

  /** Waits (at most 5 s) until every session of the double has ended. */
  public static void awaitEnded(SmtpDouble smtp) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (smtp.transcript().sessions().stream()
        .anyMatch(s -> s.ending() == Transcript.Ending.OPEN)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("sessions still open after 5 s:\n" + smtp.transcript());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
