package dev.smtpdouble.internal.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpdouble.internal.mime.MessageText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Data held in blocks reads exactly as the same data in one array: lines (also those cut by a block
 * boundary, between CR and LF too), CRLF counts, the header section, and the transcript's
 * rendering and line count. Every split of small samples, and random splits of random data. And
 * the lines of one array are the data cut at each CRLF, checked against a byte-by-byte cut.
 */
class MessageDataBlocksTest {
  private static final String[] SAMPLES = {
    "",
    "\r\n",
    "a",
    "abc\r\ndef\r\n",
    "abc\r\ndef",
    "\r\r\n\n\r\n",
    "Subject: x\r\nFrom: y\r\n\r\nbody\r\n.dot\r\n",
    "abc\r",
  };

  @Test
  void everySplitOfTheSamplesReadsAsOneArray() {
    for (String sample : SAMPLES) {
      byte[] bytes = sample.getBytes(StandardCharsets.ISO_8859_1);
      for (int cut1 = 0; cut1 <= bytes.length; cut1++) {
        for (int cut2 = cut1; cut2 <= bytes.length; cut2++) {
          compare(bytes, new int[] {cut1, cut2});
        }
      }
    }
  }

  @Test
  void randomSplitsOfRandomDataReadAsOneArray() {
    Random random = new Random(19);
    byte[] alphabet = "ab:.\r\n \t".getBytes(StandardCharsets.ISO_8859_1);
    for (int round = 0; round < 2000; round++) {
      byte[] bytes = new byte[random.nextInt(200)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int[] cuts = new int[random.nextInt(6)];
      for (int i = 0; i < cuts.length; i++) {
        cuts[i] = random.nextInt(bytes.length + 1);
      }
      Arrays.sort(cuts);
      compare(bytes, cuts);
    }
  }

  private static void compare(byte[] bytes, int[] cuts) {
    MessageData whole = MessageData.of(bytes);
    MessageData split = split(bytes, cuts);
    String where = "'" + new String(bytes, StandardCharsets.ISO_8859_1) + "' cut at " + Arrays.toString(cuts);
    assertEquals(lines(whole), lines(split), where);
    for (int offset = 0; offset <= bytes.length + 1; offset++) {
      assertEquals(whole.crlfBefore(offset), split.crlfBefore(offset), where + ", offset " + offset);
    }
    assertEquals(whole.endsWithCrlf(), split.endsWithCrlf(), where);
    byte[] header = split.headerSection(MessageText::bodyOffset, Integer.MAX_VALUE);
    assertEquals(MessageText.headers(bytes), MessageText.headers(header), where);
    int first = cuts.length == 0 ? bytes.length : cuts[0];
    byte[] bounded = split.headerSection(MessageText::bodyOffset, 3);
    assertTrue(bounded.length <= Math.max(3, first), where + ": " + bounded.length + " octets joined");
    assertArrayEquals(Arrays.copyOf(bytes, bounded.length), bounded, where);
    // the transcript: a chunk's line count is the number of lines it renders
    assertEquals(rendered(DataRecord.chunk(whole)), rendered(DataRecord.chunk(split)), where);
    assertEquals(rendered(DataRecord.chunk(whole)).size(), DataRecord.chunk(split).lineCount(), where);
    int[] dots = {0};
    assertEquals(
        rendered(DataRecord.data(whole, dots, true)),
        rendered(DataRecord.data(split, dots, true)),
        where);
    assertArrayEquals(bytes, split.copy(), where);
  }

  /** The lines are the data cut at each CRLF, as a byte-by-byte reading of the data gives them. */
  @Property(tries = 1000)
  void linesAreTheDataCutAtEachCrlf(@ForAll("crlfRich") byte[] bytes) {
    List<String> expected = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        expected.add(start + ":" + new String(bytes, start, i - start, StandardCharsets.ISO_8859_1));
        start = i + 2;
        i++;
      }
    }
    if (start < bytes.length) {
      expected.add(start + ":" + new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1));
    }
    assertEquals(expected, lines(MessageData.of(bytes)));
  }

  @Provide
  Arbitrary<byte[]> crlfRich() {
    return Arbitraries.of((byte) '\r', (byte) '\n', (byte) 'a', (byte) '.', (byte) 0x8D, (byte) 0)
        .array(byte[].class)
        .ofMaxSize(80);
  }

  private static MessageData split(byte[] bytes, int[] cuts) {
    List<byte[]> blocks = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      blocks.add(Arrays.copyOfRange(bytes, from, cut));
      from = cut;
    }
    blocks.add(Arrays.copyOfRange(bytes, from, bytes.length));
    return MessageData.ofBlocks(blocks.toArray(new byte[0][]), bytes.length);
  }

  private static List<String> lines(MessageData data) {
    List<String> lines = new ArrayList<>();
    data.forEachLine(
        (bytes, offset, length, position) ->
            lines.add(position + ":" + new String(bytes, offset, length, StandardCharsets.ISO_8859_1)));
    return lines;
  }

  private static List<String> rendered(DataRecord record) {
    List<String> lines = new ArrayList<>();
    record.render(lines::add);
    return lines;
  }
}
