package dev.smtpdouble.internal.capture;

import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The transcript's rendering of wire bytes is unambiguous: a literal backslash is doubled, so
 * typed {@code \n} and a real bare LF never look the same, and every rendering reads back to the
 * exact bytes.
 */
class EscapingTest {

  private static String text(String latin1) {
    byte[] bytes = latin1.getBytes(ISO_8859_1);
    return Escaping.text(bytes, 0, bytes.length);
  }

  @Test
  void aLiteralBackslashIsDoubledAndControlBytesAreEscaped() {
    assertThat(text("a\\nb")).isEqualTo("a\\\\nb");
    assertThat(text("a\nb")).isEqualTo("a\\nb");
    assertThat(text("a\\x00b")).isEqualTo("a\\\\x00b");
    assertThat(text("a\0b")).isEqualTo("a\\x00b");
    assertThat(text("\\")).isEqualTo("\\\\");
    assertThat(text("tab\there")).isEqualTo("tab\there");
    assertThat(text("plain ascii")).isEqualTo("plain ascii");
    byte[] utf8 = "zoë\\".getBytes(UTF_8);
    assertThat(Escaping.text(utf8, 0, utf8.length)).isEqualTo("zoë\\\\");
    assertThat(text("\u00ff\\")).isEqualTo("\\xFF\\\\");
  }

  @Property(tries = 2000)
  void everyRenderingReadsBackToTheExactBytes(@ForAll("wireBytes") byte[] bytes) {
    String rendered = Escaping.text(bytes, 0, bytes.length);
    assertThat(rendered).doesNotContain("\n", "\r");
    assertThat(decode(rendered)).isEqualTo(bytes);
  }

  /** The command line copies "verbatim" lines as they are: only right when the text is the bytes. */
  @Property(tries = 2000)
  void verbatimExactlyWhenTheRenderingIsTheBytesThemselves(@ForAll("wireBytes") byte[] bytes) {
    byte[] rendered = Escaping.text(bytes, 0, bytes.length).getBytes(UTF_8);
    assertThat(Escaping.verbatim(bytes, 0, bytes.length))
        .isEqualTo(java.util.Arrays.equals(rendered, bytes));
  }

  @Test
  void verbatimLooksOnlyAtItsRange() {
    byte[] bytes = "\\ok zo\u00eb\n".getBytes(UTF_8);
    assertThat(Escaping.verbatim(bytes, 0, bytes.length - 1)).isFalse(); // the backslash
    assertThat(Escaping.verbatim(bytes, 1, bytes.length - 2)).isTrue(); // "ok zoë"
    assertThat(Escaping.verbatim(bytes, 1, bytes.length - 3)).isFalse(); // half of the ë
    assertThat(Escaping.verbatim(bytes, 1, bytes.length - 1)).isFalse(); // the line feed
  }

  /** Long lines are checked eight bytes at a time: a byte that is not plain is found anywhere. */
  @Test
  void verbatimFindsAnOddByteAtEveryPlaceInALongLine() {
    String[] odd = {"\\", "\t", "\r", "\u007f", "\u0000", "\u00ff", "\u001f"};
    for (String bad : odd) {
      for (int at = 0; at < 40; at++) {
        byte[] line = ("x".repeat(at) + bad + "y".repeat(39 - at)).getBytes(ISO_8859_1);
        byte[] rendered = Escaping.text(line, 0, line.length).getBytes(UTF_8);
        assertThat(Escaping.verbatim(line, 0, line.length))
            .as("%s at %d", bad, at)
            .isEqualTo(java.util.Arrays.equals(rendered, line));
      }
    }
    byte[] utf8 = ("abcdefgh" + "é".repeat(9) + "ijklmnop€").getBytes(UTF_8);
    assertThat(Escaping.verbatim(utf8, 0, utf8.length)).isTrue();
    assertThat(Escaping.verbatim(utf8, 0, utf8.length - 1)).isFalse(); // a cut €
  }

  @Property(tries = 500)
  void differentBytesNeverRenderAlike(
      @ForAll("wireBytes") byte[] first, @ForAll("wireBytes") byte[] second) {
    if (!java.util.Arrays.equals(first, second)) {
      assertThat(Escaping.text(first, 0, first.length))
          .isNotEqualTo(Escaping.text(second, 0, second.length));
    }
  }

  @Provide
  Arbitrary<byte[]> wireBytes() {
    Arbitrary<byte[]> pieces =
        Arbitraries.oneOf(
            List.of(
                Arbitraries.of("\\", "\\n", "\\r", "\\x0A", "\\\\", "n", "x0", "A", " ", "\t")
                    .map(s -> s.getBytes(ISO_8859_1)),
                Arbitraries.of("\n", "\r", "\0", "\u007f").map(s -> s.getBytes(ISO_8859_1)),
                Arbitraries.of("é", "€", "😀").map(s -> s.getBytes(UTF_8)),
                Arbitraries.bytes().map(b -> new byte[] {b})));
    return pieces
        .list()
        .ofMaxSize(12)
        .map(
            list -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              list.forEach(out::writeBytes);
              return out.toByteArray();
            });
  }

  /** The reader's side, written from the documented escapes: {@code \r \n \\ \xHH}, else UTF-8. */
  private static byte[] decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        int end = i + (Character.isHighSurrogate(c) ? 2 : 1);
        out.writeBytes(text.substring(i, end).getBytes(UTF_8));
        i = end - 1;
        continue;
      }
      char kind = text.charAt(++i);
      switch (kind) {
        case 'r' -> out.write('\r');
        case 'n' -> out.write('\n');
        case '\\' -> out.write('\\');
        case 'x' -> {
          out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> throw new AssertionError("a lone backslash in " + text);
      }
    }
    return out.toByteArray();
  }

  @Test
  void overTheWireTypedEscapesAndRealControlBytesDiffer() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      client.send("NOOP a\\nb").expect(OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      // inside message data a bare LF does not end the line: each form stays on its own data line
      client
          .sendRaw("Subject: e\r\n\r\ntyped a\\nb\r\nreal a\nb\r\n.\r\n".getBytes(ISO_8859_1))
          .expectStart("250 ");
      String transcript = smtp.transcript().toString();
      assertThat(transcript)
          .contains("C: NOOP a\\\\nb\n", "C: typed a\\\\nb\n", "C: real a\\nb\n");
    }
  }
}
