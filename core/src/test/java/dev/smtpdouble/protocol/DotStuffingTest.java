package dev.smtpdouble.protocol;

import static dev.smtpdouble.testing.SmtpTesting.awaitEnded;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static dev.smtpdouble.testing.SmtpTesting.take;
import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.DATA_GO;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.SmtpTesting;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DATA both ways: the message keeps the unstuffed bytes exactly, the transcript shows the lines as
 * the client sent them; 8-bit, UTF-8 and large bodies; the end marker split across writes.
 */
@Timeout(30)
class DotStuffingTest {


  private static void startData(RawClient client) {
    client.send("MAIL FROM:<a@example.test> BODY=8BITMIME").expect(MAIL_OK);
    client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
    client.send("DATA").expect(DATA_GO);
  }

  private static List<String> dataLines(Transcript.Session session) {
    return session.lines().stream()
        .filter(Transcript.Line::messageData)
        .map(Transcript.Line::toString)
        .toList();
  }

  @Test
  void stuffedLinesLoseOneDotAndTheTranscriptShowsThemAsSent() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      startData(client);
      client.sendRaw(
          "Subject: dots\r\n"
              + "\r\n"
              + "..leading dot\r\n"
              + "..\r\n"
              + "...\r\n"
              + "a line. with .\r\n"
              + " .\r\n"
              + ".\r\n");
      client.expect(QUEUED);
      client.send("QUIT").expect(BYE);

      ReceivedMessage message = take(smtp);
      assertThat(new String(message.data(), US_ASCII))
          .isEqualTo(
              "Subject: dots\r\n"
                  + "\r\n"
                  + ".leading dot\r\n"
                  + ".\r\n"
                  + "..\r\n"
                  + "a line. with .\r\n"
                  + " .\r\n");
      assertThat(dataLines(awaitEnded(smtp, 1)))
          .containsExactly(
              "C: Subject: dots",
              "C: ",
              "C: ..leading dot",
              "C: ..",
              "C: ...",
              "C: a line. with .",
              "C:  .",
              "C: .");
    }
  }

  @Test
  void theLastLineKeepsItsCrlfAndAnEmptyBodyIsEmpty() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      startData(client);
      client.sendRaw("no newline at the end?\r\n.\r\n").expect(QUEUED);
      startData(client);
      client.sendRaw(".\r\n").expect(QUEUED);
      startData(client);
      client.sendRaw("\r\n.\r\n").expect(QUEUED);
      client.send("QUIT").expect(BYE);

      assertThat(take(smtp).data()).isEqualTo("no newline at the end?\r\n".getBytes(US_ASCII));
      assertThat(take(smtp).data()).isEmpty();
      assertThat(take(smtp).data()).isEqualTo("\r\n".getBytes(US_ASCII));
      assertThat(SmtpTesting.wireLines(awaitEnded(smtp, 1)))
          .containsSubsequence("C: DATA", "S: " + DATA_GO, "C: .", "S: " + QUEUED, "C: DATA")
          .containsSubsequence("S: " + DATA_GO, "C: ", "C: .", "S: " + QUEUED, "C: QUIT");
    }
  }

  @Test
  void theEndMarkerNeedsCrlfOnBothSides() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      startData(client);
      // ".\r\n" after a bare LF, and ". \r\n", ".x" are not the end
      client.sendRaw("one\n.\r\n. \r\n.\rx\r\ntwo\r\n.\r\n").expect(QUEUED);
      assertThat(take(smtp).data()).isEqualTo("one\n.\r\n \r\n\rx\r\ntwo\r\n".getBytes(US_ASCII));
    }
  }

  @Test
  void eightBitBytesArriveExactly() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int b = 0; b < 256; b++) {
      if (b != '\r' && b != '\n') {
        body.write(b);
      }
      if (b % 64 == 63) {
        body.write('\r');
        body.write('\n');
      }
    }
    byte[] expected = body.toByteArray();
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      startData(client);
      client.sendRaw(expected).sendRaw(".\r\n").expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.data()).isEqualTo(expected);
      // the transcript escapes what is not valid UTF-8 text, byte for byte
      assertThat(dataLines(awaitEndedAfterQuit(smtp, client)).get(3))
          .isEqualTo("C: " + escapedHighHalf(192));
    }
  }

  private static Transcript.Session awaitEndedAfterQuit(SmtpDouble smtp, RawClient client) {
    client.send("QUIT").expect(BYE);
    return awaitEnded(smtp, 1);
  }

  private static String escapedHighHalf(int from) {
    StringBuilder out = new StringBuilder();
    for (int b = from; b < from + 64; b++) {
      out.append(String.format("\\x%02X", b));
    }
    return out.toString();
  }

  @Test
  void utf8BodiesArriveExactlyAndReadAsText() {
    String text = "Grüße aus Köln ☃ 𝄞\r\n..Ünïcödé mit Punkt\r\n";
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("MAIL FROM:<a@example.test> BODY=8BITMIME SMTPUTF8").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect(DATA_GO);
      client
          .sendRaw(
              ("Subject: Grüße\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + text + ".\r\n")
                  .getBytes(UTF_8))
          .expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.data())
          .isEqualTo(
              ("Subject: Grüße\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                      + text.replace("\r\n..", "\r\n."))
                  .getBytes(UTF_8));
      assertThat(message.subject()).isEqualTo("Grüße");
      assertThat(message.text()).isEqualTo(text.replace("\r\n..", "\r\n."));
      assertThat(dataLines(awaitEndedAfterQuit(smtp, client)))
          .contains("C: Grüße aus Köln ☃ 𝄞", "C: ..Ünïcödé mit Punkt");
    }
  }

  @Test
  void aTenMebibyteBodyArrivesByteForByte() {
    byte[] unstuffed = largeBody(10 * 1024 * 1024, 42);
    byte[] stuffed = stuff(unstuffed);
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      startData(client);
      client.sendRaw(stuffed).sendRaw(".\r\n").expect(QUEUED);
      ReceivedMessage message = take(smtp);
      assertThat(message.size()).isEqualTo(unstuffed.length);
      assertThat(Arrays.mismatch(message.data(), unstuffed))
          .as("first differing offset")
          .isEqualTo(-1);
      assertThat(message.truncated()).isFalse();
      client.send("QUIT").expect(BYE);
      // the transcript renders the same bytes back, stuffed as they were sent (printable ASCII:
      // the only escape is a doubled backslash)
      StringBuilder rendered = new StringBuilder();
      for (String line : dataLines(awaitEnded(smtp, 1))) {
        rendered.append(line.substring(3).replace("\\\\", "\\")).append("\r\n");
      }
      assertThat(
              Arrays.mismatch(rendered.toString().getBytes(ISO_8859_1), concat(stuffed, ".\r\n")))
          .isEqualTo(-1);
      assertThat(smtp.violations()).isEmpty();
    }
  }

  /** Printable ASCII lines of 0 to 120 octets, some starting with one or more dots. */
  static byte[] largeBody(int size, long seed) {
    Random random = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 200);
    while (out.size() < size) {
      int length = random.nextInt(121);
      int dots = random.nextInt(8) == 0 ? 1 + random.nextInt(3) : 0;
      for (int i = 0; i < length; i++) {
        out.write(i < dots ? '.' : 32 + random.nextInt(95));
      }
      out.write('\r');
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** Dot-stuffs data the way a client must. */
  static byte[] stuff(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 50);
    boolean lineStart = true;
    for (byte b : data) {
      if (lineStart && b == '.') {
        out.write('.');
      }
      out.write(b);
      lineStart = b == '\n';
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, String b) {
    byte[] tail = b.getBytes(US_ASCII);
    byte[] all = Arrays.copyOf(a, a.length + tail.length);
    System.arraycopy(tail, 0, all, a.length, tail.length);
    return all;
  }

  @Test
  void theEndMarkerIsFoundWhereverTheWritesSplitIt() {
    byte[] wire = "x\r\n..y\r\n\r\n.\r\nNOOP\r\n".getBytes(US_ASCII);
    byte[] expected = "x\r\n.y\r\n\r\n".getBytes(US_ASCII);
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      for (int split = 1; split < wire.length; split++) {
        startData(client);
        client.sendRaw(Arrays.copyOfRange(wire, 0, split));
        SmtpTesting.sleep(3);
        client.sendRaw(Arrays.copyOfRange(wire, split, wire.length));
        client.expect(QUEUED).expect(OK);
        assertThat(take(smtp).data()).as("split at %d", split).isEqualTo(expected);
      }
    }
  }

  @Test
  void aBodySentOneByteAtATimeArrivesExactly() {
    byte[] wire = "Subject: slow\r\n\r\n..a\r\nb.\r\n\r\n.\r\n".getBytes(US_ASCII);
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      startData(client);
      for (byte b : wire) {
        client.sendRaw(new byte[] {b});
        SmtpTesting.sleep(1);
      }
      client.expect(QUEUED);
      assertThat(take(smtp).data())
          .isEqualTo("Subject: slow\r\n\r\n.a\r\nb.\r\n\r\n".getBytes(US_ASCII));
      assertThat(smtp.violations()).isEmpty();
    }
  }
}
