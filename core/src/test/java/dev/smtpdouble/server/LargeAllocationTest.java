package dev.smtpdouble.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No allocation of 512 KiB or more on the way of a message, whatever its size: G1 gives a default
 * test JVM (2 GiB heap) 1 MiB regions, and an object of half a region or more is humongous. The
 * double receives 1 MiB and 8 MiB messages (DATA, with a lone leading period and a header section
 * longer than the first block; BDAT in 3 and 5 MiB chunks; header checks on), a listener sees every
 * transcript line as it comes, and the test then reads headers, the stream of the data and the
 * transcript, all while JFR records every allocation made outside a thread-local buffer (an array
 * of 512 KiB is never inside one). Sizes, not times, are asserted. {@link ReceivedMessage#data()}
 * is left out: it returns the whole message in one array, as asked.
 */
class LargeAllocationTest {
  private static final long HALF_REGION = 512 * 1024;
  private static final int MIB = 1024 * 1024;

  @Test
  void largeMessagesAreReceivedAndReadInBlocksBelowHalfARegion(@TempDir Path dir) throws Exception {
    byte[] small = message(MIB, 0, false);
    byte[] large = message(8 * MIB, 1, true);
    byte[] wideHeaders = message(MIB, 2, false, 40_000);
    byte[] chunked = message(8 * MIB, 3, false);
    String[] digests = {
      digest(small), digest(large), digest(wideHeaders), hex(sha256(chunked)) // BDAT: verbatim
    };
    byte[][] wire = {dataWire(small), dataWire(large), dataWire(wideHeaders)};
    List<String> seen = new ArrayList<>();
    byte[] control;

    Path file = dir.resolve("allocations.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
      recording.start();
      control = new byte[1 << 20]; // JFR must see this one, or the recording proves nothing
      try (SmtpDouble smtp =
          SmtpDouble.builder()
              .checkHeaders()
              .listener(
                  new SmtpDouble.Listener() {
                    @Override
                    public void transcriptLine(int sessionNumber, Transcript.Line line) {
                      if (line.text().startsWith("Subject:")) {
                        seen.add(line.text());
                      }
                    }
                  })
              .start()) {
        try (RawClient client = RawClient.greeted(smtp)) {
          client.command("EHLO client.test");
          for (byte[] data : wire) {
            client.command("MAIL FROM:<sender@client.test>");
            client.command("RCPT TO:<rcpt@server.test>");
            client.command("DATA");
            client.sendRaw(data);
            assertEquals(250, client.readCode());
          }
          client.command("MAIL FROM:<sender@client.test>");
          client.command("RCPT TO:<rcpt@server.test>");
          int first = 3 * MIB;
          client.sendRaw("BDAT " + first + "\r\n");
          client.sendRaw(Arrays.copyOfRange(chunked, 0, first));
          assertEquals(250, client.readCode());
          client.sendRaw("BDAT " + (chunked.length - first) + " LAST\r\n");
          client.sendRaw(Arrays.copyOfRange(chunked, first, chunked.length));
          assertEquals(250, client.readCode());
          client.command("QUIT");
        }
        for (int i = 0; i < 4; i++) {
          smtp.takeMessage(Duration.ofSeconds(30));
        }
        List<ReceivedMessage> messages = smtp.messages();
        assertEquals(4, messages.size());
        for (int i = 0; i < 4; i++) {
          ReceivedMessage message = messages.get(i);
          assertEquals("message " + i, message.subject());
          assertEquals(digests[i], digest(message.dataStream()));
        }
        assertEquals(
            List.of(Violation.Kind.UNSTUFFED_DOT),
            smtp.violations().stream().map(Violation::kind).distinct().toList());
        long dataLines =
            smtp.transcript().sessions().get(0).lines().stream()
                .filter(Transcript.Line::messageData)
                .count();
        assertTrue(dataLines > 200_000, dataLines + " data lines in the transcript");
        assertTrue(smtp.transcript().lines().size() > dataLines, "every line of the transcript");
      }
      recording.stop();
      recording.dump(file);
    }
    assertEquals(
        List.of("Subject: message 0", "Subject: message 1", "Subject: message 2", "Subject: message 3"),
        seen);

    List<String> large512 = new ArrayList<>();
    Map<String, long[]> bySite = new TreeMap<>();
    boolean controlSeen = false;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      controlSeen |= testFrame(event) && event.getLong("allocationSize") >= control.length;
      String site = doubleFrame(event);
      if (site == null) {
        continue; // the test's own allocations, JUnit's, the JDK's
      }
      long size = event.getLong("allocationSize");
      long[] tally = bySite.computeIfAbsent(site, s -> new long[2]);
      tally[0]++;
      tally[1] = Math.max(tally[1], size);
      if (size >= HALF_REGION) {
        large512.add(size + " bytes of " + event.getClass("objectClass").getName() + " at " + site);
      }
    }
    StringBuilder summary = new StringBuilder("allocations outside TLABs, by smtp-double frame:");
    bySite.forEach(
        (site, t) -> summary.append("\n  ").append(t[0]).append(" x, largest ").append(t[1]).append(" B: ").append(site));
    System.out.println(summary);
    assertTrue(
        controlSeen,
        "JFR did not see the test's own 1 MiB array: run with G1's 1 MiB regions"
            + " (-XX:+UseG1GC -XX:G1HeapRegionSize=1m, as core's surefire does)");
    assertEquals(List.of(), large512, summary.toString());
  }

  /** Whether the allocation's nearest frame of interest is this test's. */
  private static boolean testFrame(RecordedEvent event) {
    return event.getStackTrace() != null
        && !event.getStackTrace().getFrames().isEmpty()
        && event.getStackTrace().getFrames().stream()
            .anyMatch(f -> f.getMethod().getType().getName().equals(LargeAllocationTest.class.getName()));
  }

  /** The nearest frame of smtp-double's main code, or null when there is none. */
  private static String doubleFrame(RecordedEvent event) {
    if (event.getStackTrace() == null) {
      return null;
    }
    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("dev.smtpdouble.")
          && !type.startsWith("dev.smtpdouble.testing.")
          && !type.startsWith(LargeAllocationTest.class.getName())) {
        return type + "." + frame.getMethod().getName() + ":" + frame.getLineNumber();
      }
    }
    return null;
  }

  private static byte[] message(int size, int number, boolean loneDot) {
    return message(size, number, loneDot, 0);
  }

  /** A message of exactly {@code size} octets, with the transfer headers and a long body. */
  private static byte[] message(int size, int number, boolean loneDot, int extraHeaders) {
    StringBuilder text = new StringBuilder(size);
    text.append("From: sender@client.test\r\nTo: rcpt@server.test\r\n")
        .append("Date: Sat, 5 Dec 2026 08:00:00 +0000\r\nMessage-ID: <")
        .append(number)
        .append("@client.test>\r\n");
    for (int i = 0; text.length() < extraHeaders; i++) {
      text.append("X-Filler-").append(i).append(": a header section longer than the first block\r\n");
    }
    text.append("Subject: message ").append(number).append("\r\n\r\n");
    for (int i = 0; text.length() < size - 200; i++) {
      if (loneDot && i == 5000) {
        text.append(".a line sent with a lone leading period\r\n");
      } else if (i % 1000 == 7) {
        text.append("..a line starting with a period, sent doubled\r\n");
      } else {
        text.append("Line ").append(i).append(" of a large message, long enough to be a line.\r\n");
      }
    }
    while (text.length() < size - 2) {
      text.append('x');
    }
    text.append("\r\n");
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** What the client sends after the 354: the data as written (stuffing included) and the dot. */
  private static byte[] dataWire(byte[] written) {
    byte[] wire = Arrays.copyOf(written, written.length + 3);
    wire[written.length] = '.';
    wire[written.length + 1] = '\r';
    wire[written.length + 2] = '\n';
    return wire;
  }

  /**
   * The digest of the data the double keeps: the bytes written less the extra period of each
   * doubled one, and less the lone period (which the double removes too).
   */
  private static String digest(byte[] written) throws Exception {
    ByteArrayOutputStream kept = new ByteArrayOutputStream(written.length);
    boolean lineStart = true;
    for (int i = 0; i < written.length; i++) {
      if (!(lineStart && written[i] == '.' && written[i + 1] != '\r')) {
        kept.write(written[i]);
      }
      lineStart = written[i] == '\n';
    }
    return hex(sha256(kept.toByteArray()));
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static String digest(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return hex(md.digest());
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }
}
