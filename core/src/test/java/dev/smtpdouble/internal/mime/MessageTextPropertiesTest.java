package dev.smtpdouble.internal.mime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever arrives, reading it never throws. */
class MessageTextPropertiesTest {

  private static final List<String> FRAGMENTS =
      List.of(
          "=?",
          "?=",
          "?B?",
          "?Q?",
          "?b?",
          "?q?",
          "UTF-8",
          "utf-8*en",
          "ISO-8859-1",
          "windows-1252",
          "UTF-16",
          "x-unknown",
          "=C3",
          "=bc",
          "=E2=98",
          "=83",
          "=",
          "?",
          "_",
          "4pg=",
          "gw==",
          "R3LDvMOfZQ==",
          "Zg",
          " ",
          "\t",
          "\r\n",
          "\n",
          "\r",
          "\r\n ",
          "\r\n\r\n",
          "Subject: ",
          "From ",
          "X: ",
          ":",
          "Content-Type: text/plain; charset=",
          "Content-Type: multipart/mixed; boundary=\"",
          "\"utf-8\"",
          "\"",
          "(",
          ")",
          "\\",
          ";",
          "Content-Transfer-Encoding: ",
          "base64",
          "quoted-printable",
          "ü",
          "☃",
          "\u0000",
          "\ufffd");

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
  }

  @Provide
  Arbitrary<byte[]> lineBreakHeavy() {
    return Arbitraries.of(
            (byte) '\r',
            (byte) '\n',
            (byte) ' ',
            (byte) '\t',
            (byte) ':',
            (byte) 'a',
            (byte) 'F',
            (byte) '=',
            (byte) '?',
            (byte) 0xC3,
            (byte) 0xBC,
            (byte) 0xE2,
            (byte) 0xFF,
            (byte) 0)
        .array(byte[].class)
        .ofMaxSize(300);
  }

  @Provide
  Arbitrary<String> encodedWordHeavyText() {
    return Arbitraries.of(FRAGMENTS).list().ofMaxSize(60).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<byte[]> encodedWordHeavy() {
    return encodedWordHeavyText().map(text -> text.getBytes(UTF_8));
  }

  @Provide
  Arbitrary<byte[]> messages() {
    return Arbitraries.oneOf(anyBytes(), lineBreakHeavy(), encodedWordHeavy());
  }

  @Property(tries = 2000)
  void readingNeverThrows(@ForAll("messages") byte[] data) {
    List<HeaderField> headers = MessageText.headers(data);
    int offset = MessageText.bodyOffset(data);

    assertThat(offset).isBetween(0, data.length);
    assertThat(MessageText.bodyText(data, headers)).isNotNull();
    assertThat(MessageText.bodyText(data, null)).isNotNull();
    assertThat(MessageText.bodyText(data, List.of())).isNotNull();
    for (HeaderField field : headers) {
      assertThat(MessageText.decodeEncodedWords(field.rawValue())).isEqualTo(field.value());
      assertThat(MessageText.contentTypeParameter(field.rawValue(), "charset")).isNotNull();
    }
  }

  @Property
  void decodingWordsNeverThrows(@ForAll("encodedWordHeavyText") String text) {
    assertThat(MessageText.decodeEncodedWords(text)).isNotNull();
    assertThat(MessageText.contentTypeParameter(text, "charset")).isNotNull();
  }

  @Property
  void decodingAnyStringNeverThrows(@ForAll String text) {
    assertThat(MessageText.decodeEncodedWords(text)).isNotNull();
    assertThat(MessageText.contentTypeParameter(text, "a")).isNotNull();
  }

  @Property
  void bodyTextNeverThrowsForAnyEncodingAndCharset(
      @ForAll("encodingHeaders") String headers, @ForAll("messages") byte[] body) {
    byte[] head = headers.getBytes(UTF_8);
    byte[] data = new byte[head.length + body.length];
    System.arraycopy(head, 0, data, 0, head.length);
    System.arraycopy(body, 0, data, head.length, body.length);

    assertThat(MessageText.bodyOffset(data)).isEqualTo(head.length);
    assertThat(MessageText.bodyText(data, MessageText.headers(data))).isNotNull();
  }

  @Provide
  Arbitrary<String> encodingHeaders() {
    Arbitrary<String> encoding =
        Arbitraries.of("base64", "quoted-printable", "7bit", "8bit", "binary", "x-other", "");
    Arbitrary<String> charset =
        Arbitraries.of("utf-8", "\"ISO-8859-1\"", "UTF-16", "x-unknown", "us-ascii", "", "\"");
    Arbitrary<String> type = Arbitraries.of("text/plain", "multipart/mixed", "TEXT/HTML", "");
    return Combinators.combine(encoding, charset, type)
        .as(
            (e, c, t) ->
                "Content-Type: "
                    + t
                    + "; charset="
                    + c
                    + "\r\nContent-Transfer-Encoding: "
                    + e
                    + "\r\n\r\n");
  }

  /** Folding a field at its spaces and reading it back gives the value that was folded. */
  @Property
  void unfoldingUndoesFolding(
      @ForAll("names") String name,
      @ForAll("words") List<String> words,
      @ForAll("lineEnds") String lineEnd) {
    StringBuilder message = new StringBuilder(name).append(": ");
    List<String> folded = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (i > 0) {
        // Fold before every other separator, as a writer keeping lines short would.
        message.append(i % 2 == 0 ? lineEnd : "").append(' ');
      }
      message.append(word);
      folded.add(word);
    }
    message.append(lineEnd).append(lineEnd).append("body");
    byte[] data = message.toString().getBytes(UTF_8);

    List<HeaderField> headers = MessageText.headers(data);
    assertThat(headers).hasSize(1);
    assertThat(headers.get(0).name()).isEqualTo(name);
    assertThat(headers.get(0).rawValue()).isEqualTo(String.join(" ", folded));
    assertThat(MessageText.bodyText(data, headers)).isEqualTo("body");
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('!', '9')
        .withCharRange(';', '~')
        .ofMinLength(1)
        .ofMaxLength(20);
  }

  @Provide
  Arbitrary<List<String>> words() {
    return Arbitraries.strings()
        .withCharRange('!', '~')
        .withChars('ü', '☃', 'ß')
        .ofMinLength(1)
        .ofMaxLength(12)
        .list()
        .ofMinSize(1)
        .ofMaxSize(10);
  }

  @Provide
  Arbitrary<String> lineEnds() {
    return Arbitraries.of("\r\n", "\n");
  }
}
