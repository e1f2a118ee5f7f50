package dev.smtpdouble.spring;

import dev.smtpdouble.spring.app.MailApplication;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The first of two test classes with the same configuration; the tests are in {@link
 * SharedContextTests}.
 */
@SpringBootTest(classes = MailApplication.class)
@EnableSmtpDouble(script = "reply 211 \"shared\" to HELP")
class SharedContextFirstTest extends SharedContextTests {}
