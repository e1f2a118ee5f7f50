package dev.smtpdouble.examples.catalogue;

import org.springframework.core.SpringVersion;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Spring Framework's {@code JavaMailSenderImpl}, sending a {@code SimpleMailMessage}. */
final class SpringMailClient implements MailClient {

  @Override
  public String wiring() {
    return "`JavaMailSenderImpl.send(SimpleMailMessage)`, host and port set on the sender, the Jakarta Mail properties above as `javaMailProperties`, `setUsername`/`setPassword`.";
  }

  @Override
  public String name() {
    return "Spring JavaMailSenderImpl " + SpringVersion.getVersion();
  }

  @Override
  public Configured configure(String host, int port, ClientSettings settings) {
    JavaMailSenderImpl sender = new JavaMailSenderImpl();
    sender.setHost(host);
    sender.setPort(port);
    sender.setJavaMailProperties(JakartaMailClient.properties(settings));
    if (settings.user() != null) {
      sender.setUsername(settings.user());
      sender.setPassword(settings.password());
    }
    return mail -> sender.send(message(mail));
  }

  static SimpleMailMessage message(Mail mail) {
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom(mail.from());
    message.setTo(mail.to().toArray(String[]::new));
    message.setSubject(mail.subject());
    message.setText(mail.body());
    return message;
  }
}
