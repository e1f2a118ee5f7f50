package dev.smtpdouble.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application under test: a Spring Boot application whose {@link WelcomeMailer} sends through
 * the {@code JavaMailSender} that {@code spring-boot-starter-mail} builds from {@code spring.mail.*}.
 */
@SpringBootApplication
public class MailApplication {}
