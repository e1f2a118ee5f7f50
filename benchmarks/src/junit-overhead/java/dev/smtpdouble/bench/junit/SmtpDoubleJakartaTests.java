package dev.smtpdouble.bench.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.junit5.SmtpServer;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each test its own double (by {@code @SmtpServer}) and one Jakarta Mail send. */
@ExtendWith(PhaseClock.class)
@SmtpServer
class SmtpDoubleJakartaTests {

  @RepeatedTest(200)
  void sendsOneMessage(SmtpDouble smtp, RepetitionInfo repetition) throws Exception {
    int number = repetition.getCurrentRepetition();
    JakartaMail.send(JakartaMail.compose(smtp.host(), smtp.port(), number));
    ReceivedMessage message = smtp.takeMessage(Duration.ofSeconds(5));
    assertEquals("test " + number, message.subject());
  }
}
