package dev.smtpdouble.bench.junit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The floor of the Jakarta Mail JUnit scenario: the same tests with no server (the message is only written out). */
@ExtendWith(PhaseClock.class)
class NoServerJakartaTests {

  @RepeatedTest(200)
  void composesOneMessage(RepetitionInfo repetition) throws Exception {
    long octets = JakartaMail.writeOut(JakartaMail.compose("127.0.0.1", 25, repetition.getCurrentRepetition()));
    assertTrue(octets > 100, octets + " octets");
  }
}
