package dev.smtpdouble.spring.app;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

/**
 * Welcomes new users by mail, and tries again when the server refuses for now: a mail server's
 * 421 or 4xx means "later", and the application retries a few times before it gives up.
 */
@Service
public class WelcomeMailer {
  private final JavaMailSender mailSender;
  private final int attempts;

  WelcomeMailer(JavaMailSender mailSender, @Value("${app.mail.attempts:3}") int attempts) {
    this.mailSender = mailSender;
    this.attempts = attempts;
  }

  /**
   * Sends the welcome mail, trying up to {@code app.mail.attempts} times (3 by default).
   *
   * @param email the new user's address
   * @return how many attempts it took
   * @throws MailSendException from the last attempt, when every one failed
   */
  public int welcome(String email) {
    SimpleMailMessage welcome = new SimpleMailMessage();
    welcome.setFrom("shop@example.test");
    welcome.setTo(email);
    welcome.setSubject("Welcome");
    welcome.setText("Hello,\nthanks for signing up.\n");
    for (int attempt = 1; ; attempt++) {
      try {
        mailSender.send(welcome);
        return attempt;
      } catch (MailSendException e) {
        if (attempt >= attempts) {
          throw e;
        }
      }
    }
  }
}
