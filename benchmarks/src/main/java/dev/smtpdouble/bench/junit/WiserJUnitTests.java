package dev.smtpdouble.bench.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

/** The JUnit-overhead class for Wiser, which has no extension: started and stopped per test by hand. */
class WiserJUnitTests {
  private Wiser wiser;

  @BeforeEach
  void start() throws Exception {
    wiser = Wiser.create(SMTPServer.port(0).bindAddress(InetAddress.getByName("127.0.0.1")));
    wiser.start();
  }

  @AfterEach
  void stop() {
    wiser.stop();
  }

  @RepeatedTest(200)
  void sendsOneMessage() throws Exception {
    TestMail.send("127.0.0.1", wiser.getServer().getPortAllocated());
    List<WiserMessage> received = wiser.getMessages();
    assertEquals(1, received.size());
    byte[] data = received.get(0).getData();
    int offset = dev.smtpdouble.bench.Target.traceHeaderLength(data);
    assertArrayEquals(TestMail.DATA, Arrays.copyOfRange(data, offset, data.length));
  }
}
