package dev.smtpdouble.bench.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One double for the class (a static {@code @SmtpServer} field, reset before each test) and one
 * Jakarta Mail send per test: the send's share of a test, without a double's start and stop.
 */
@ExtendWith(PhaseClock.class)
class SharedSmtpDoubleJakartaTests {
  @SmtpServer static SmtpDouble smtp;

  @RepeatedTest(200)
  void sendsOneMessage(RepetitionInfo repetition) throws Exception {
    int number = repetition.getCurrentRepetition();
    JakartaMail.send(JakartaMail.compose(smtp.host(), smtp.port(), number));
    ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
    assertEquals("test " + number, message.subject());
    assertEquals(1, smtp.messages().size());
  }
}
