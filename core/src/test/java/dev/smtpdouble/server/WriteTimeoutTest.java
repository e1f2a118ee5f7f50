package dev.smtpdouble.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that never reads its replies cannot hold a session's thread forever. */
@Timeout(60)
class WriteTimeoutTest {

  @Test
  void aClientThatStopsReadingIsCutOffAfterTheIdleTimeout() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().idleTimeout(Duration.ofMillis(500)).start();
        Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(smtp.host(), smtp.port()), 5000);
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer =
          new Thread(
              () -> {
                byte[] batch = "HELP\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                try {
                  OutputStream out = socket.getOutputStream();
                  long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                  while (writing.get() && System.nanoTime() < end) {
                    out.write(batch); // never reads: the double's replies pile up
                  }
                } catch (Exception e) {
                  // the double closed the connection: what the test waits for
                } finally {
                  writing.set(false);
                }
              });
      writer.setDaemon(true);
      writer.start();

      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  smtp.transcript().sessions().size() == 1
                      && smtp.transcript().sessions().get(0).ending()
                          == Transcript.Ending.WRITE_TIMEOUT);
      assertThat(smtp.transcript().toString())
          .contains("* write timeout: the client stopped reading the replies; closing");
      writing.set(false);
      writer.join(5000);
    }
  }
}
