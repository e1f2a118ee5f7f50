package dev.smtpdouble.bench.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit-overhead class for GreenMail: its own extension, a fresh server per test (its default). */
class GreenMailJUnitTests {
  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL =
      new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

  @RepeatedTest(200)
  void sendsOneMessage() throws Exception {
    TestMail.send("127.0.0.1", GREEN_MAIL.getSmtp().getPort());
    MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
    assertEquals(1, received.length);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    received[0].writeTo(raw);
    byte[] data = raw.toByteArray();
    int offset = dev.smtpdouble.bench.Target.traceHeaderLength(data);
    // GreenMail keeps the data without the CRLF that ends its last line
    assertArrayEquals(
        Arrays.copyOf(TestMail.DATA, TestMail.DATA.length - 2), Arrays.copyOfRange(data, offset, data.length));
  }
}
