package dev.smtpdouble.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The block DATA reader against a byte-by-byte reference: the same data, line count and findings
 * for random bodies (bare CR and LF, stuffed and unstuffed periods, 8-bit bytes, long lines) cut
 * into random reads.
 */
class SmtpInputPropertiesTest {

  @Property(tries = 1500)
  void theBlockReaderAgreesWithAByteByByteReference(
      @ForAll("bodies") byte[] body, @ForAll("seeds") long seed) throws IOException {
    byte[] wire = new byte[body.length + 5];
    System.arraycopy(body, 0, wire, 0, body.length);
    System.arraycopy(new byte[] {'\r', '\n', '.', '\r', '\n'}, 0, wire, body.length, 5);
    // the reader starts right after "DATA\r\n": the body begins at a line start
    Reference expected = Reference.read(wire);

    ChoppyStream choppy = new ChoppyStream(wire, new Random(seed));
    SmtpInput input = new SmtpInput((b, off, len, timeout) -> choppy.read(b, off, len), () -> {});
    GrowableBytes out = new GrowableBytes();
    SmtpInput.DataResult result = new SmtpInput.DataResult();
    input.readData(out, Long.MAX_VALUE, 0, result);

    assertThat(result.complete).isTrue();
    assertThat(out.toArray()).isEqualTo(expected.data.toByteArray());
    assertThat(result.octets).isEqualTo(expected.data.size());
    assertThat(result.lines).isEqualTo(expected.lines);
    assertThat(result.bareLfLines).isEqualTo(expected.bareLfLines);
    assertThat(result.bareCrLines).isEqualTo(expected.bareCrLines);
    assertThat(result.longLines).isEqualTo(expected.longLines);
    assertThat(result.nulLines).isEqualTo(expected.nulLines);
    assertThat(result.unstuffedCount).isEqualTo(expected.unstuffed);
    assertThat(result.eightBit).isEqualTo(expected.eightBit);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> pieces =
        Arbitraries.oneOf(
            List.of(
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(40).map(String::getBytes),
                Arbitraries.of("\r\n", "\n", "\r", ".", "..", "\r\n.", "\r\n..", "é", "\u00ff", "x\r", "\0")
                    .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Arbitraries.integers().between(990, 1100).map(n -> "y".repeat(n).getBytes())));
    return pieces
        .list()
        .ofMaxSize(60)
        .map(
            list -> {
              ByteArrayOutputStream joined = new ByteArrayOutputStream();
              list.forEach(joined::writeBytes);
              byte[] bytes = joined.toByteArray();
              // the body must not contain the end marker early
              return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                  .replace("\r\n.\r\n", "\r\n..\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            })
        .filter(b -> !startsWithEndMarker(b));
  }

  private static boolean startsWithEndMarker(byte[] b) {
    return b.length >= 3 && b[0] == '.' && b[1] == '\r' && b[2] == '\n';
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  /** Returns the bytes in reads of 1 to 100 bytes. */
  private static final class ChoppyStream extends InputStream {
    private final byte[] bytes;
    private final Random random;
    private int pos;

    ChoppyStream(byte[] bytes, Random random) {
      this.bytes = bytes;
      this.random = random;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(100)), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** RFC 5321 §4.5.2 read one byte at a time: only CRLF ends a line; CRLF.CRLF ends the data. */
  private static final class Reference {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    int lines;
    int bareLfLines;
    int bareCrLines;
    int longLines;
    int nulLines;
    int unstuffed;
    boolean eightBit;

    static Reference read(byte[] wire) {
      Reference r = new Reference();
      int i = 0;
      while (true) {
        // at a line start
        if (wire[i] == '.' && wire[i + 1] == '\r' && wire[i + 2] == '\n') {
          return r;
        }
        if (wire[i] == '.') {
          if (wire[i + 1] != '.') {
            r.unstuffed++;
          }
          i++;
        }
        int length = 0;
        boolean bareLf = false;
        boolean bareCr = false;
        boolean nul = false;
        while (true) {
          byte c = wire[i];
          if (c == '\r' && wire[i + 1] == '\n') {
            r.data.write('\r');
            r.data.write('\n');
            i += 2;
            break;
          }
          if (c == '\n') {
            bareLf = true;
          } else if (c == '\r') {
            bareCr = true;
          } else if (c == 0) {
            nul = true;
          }
          if (c < 0) {
            r.eightBit = true;
          }
          r.data.write(c);
          length++;
          i++;
        }
        r.lines++;
        r.bareLfLines += bareLf ? 1 : 0;
        r.bareCrLines += bareCr ? 1 : 0;
        r.longLines += length > 998 ? 1 : 0;
        r.nulLines += nul ? 1 : 0;
      }
    }
  }
}
