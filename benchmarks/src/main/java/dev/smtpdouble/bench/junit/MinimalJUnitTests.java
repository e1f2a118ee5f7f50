package dev.smtpdouble.bench.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.smtpdouble.bench.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** The JUnit-overhead floor: the minimal responder started and stopped per test by hand. */
class MinimalJUnitTests {
  private Target responder;

  @BeforeEach
  void start() throws Exception {
    responder = Target.create("minimal");
    responder.start();
  }

  @AfterEach
  void stop() {
    responder.stop();
  }

  @RepeatedTest(200)
  void sendsOneMessage() throws Exception {
    TestMail.send(responder.host(), responder.port());
    Target.Tally tally = responder.tally(TestMail.DATA);
    assertEquals(1, tally.messages());
    assertEquals(TestMail.DATA.length, tally.bytes());
  }
}
