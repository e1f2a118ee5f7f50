package dev.smtpdouble.bench.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The JUnit-overhead class for smtp-double: {@code @SmtpServer} on the class, a fresh double
 * injected into every test (SPEC §5). Compiled only with {@code -Pjunit-overhead}, since it needs
 * smtp-double-junit5.
 */
@SmtpServer
class SmtpDoubleJUnitTests {

  @RepeatedTest(200)
  void sendsOneMessage(SmtpDouble smtp) throws Exception {
    TestMail.send(smtp.host(), smtp.port());
    ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
    assertArrayEquals(TestMail.DATA, message.data());
    assertEquals(1, smtp.messages().size());
  }
}
