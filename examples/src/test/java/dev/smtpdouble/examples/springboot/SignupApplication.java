package dev.smtpdouble.examples.springboot;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

/**
 * The application under test: a sign-up service that mails a welcome message through the {@link
 * JavaMailSender} that {@code spring-boot-starter-mail} configures from {@code spring.mail.*}.
 */
@SpringBootApplication
public class SignupApplication {

  /** Registers users and welcomes them by mail. */
  @Service
  public static class SignupService {
    private final JavaMailSender mailSender;

    SignupService(JavaMailSender mailSender) {
      this.mailSender = mailSender;
    }

    /**
     * Registers a user and sends the welcome mail.
     *
     * @param email the user's address
     */
    public void register(String email) {
      SimpleMailMessage welcome = new SimpleMailMessage();
      welcome.setFrom("shop@example.test");
      welcome.setTo(email);
      welcome.setSubject("Welcome");
      welcome.setText("Hello,\nthanks for signing up.\n");
      mailSender.send(welcome);
    }
  }
}
