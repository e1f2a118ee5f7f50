/**
 * smtp-double for Spring tests: {@link dev.smtpdouble.spring.EnableSmtpDouble @EnableSmtpDouble}
 * on a {@code @SpringBootTest} class starts a double before the application context, points {@code
 * spring.mail.*} at it and makes it a bean that lives, and is cached, with the context.
 */
package dev.smtpdouble.spring;
