package dev.smtpdouble.internal.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MessageTextTest {

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static HeaderField field(String name, String value) {
    return new HeaderField(name, value, value);
  }

  @Nested
  class HeaderSection {

    @Test
    void readsSimpleFieldsInOrder() {
      byte[] data =
          utf8("From: a@example.com\r\nTo: b@example.com\r\nSubject: Hello\r\n\r\nBody\r\n");

      assertThat(MessageText.headers(data))
          .containsExactly(
              field("From", "a@example.com"),
              field("To", "b@example.com"),
              field("Subject", "Hello"));
      assertThat(MessageText.bodyOffset(data)).isEqualTo(new String(data, UTF_8).indexOf("Body"));
    }

    @Test
    void keepsTheCaseOfNamesAndTrimsValues() {
      byte[] data = utf8("sUbJeCt:   spaced out \t \r\nX-Tab:\tvalue\r\n\r\n");

      assertThat(MessageText.headers(data))
          .containsExactly(field("sUbJeCt", "spaced out"), field("X-Tab", "value"));
    }

    @Test
    void unfoldsContinuationLinesKeepingTheirWhitespace() {
      byte[] data = utf8("Subject: one\r\n two\r\n\tthree\r\n   four\r\nTo: x@example.com\r\n\r\n");

      assertThat(MessageText.headers(data))
          .containsExactly(field("Subject", "one two\tthree   four"), field("To", "x@example.com"));
    }

    @Test
    void unfoldsAValueThatStartsOnTheNextLine() {
      byte[] data = utf8("Subject:\r\n  starts here\r\n \r\n\r\n");

      assertThat(MessageText.headers(data)).containsExactly(field("Subject", "starts here"));
    }

    @Test
    void readsEmptyValues() {
      byte[] data = utf8("X-Empty:\r\nX-Blank:    \r\nX-Last:\r\n\r\n");

      assertThat(MessageText.headers(data))
          .containsExactly(field("X-Empty", ""), field("X-Blank", ""), field("X-Last", ""));
    }

    @Test
    void keepsDuplicateFieldsInOrder() {
      byte[] data =
          utf8("Received: from c\r\nReceived: from b\r\nX-Other: 1\r\nReceived: from a\r\n\r\n");
      List<HeaderField> headers = MessageText.headers(data);

      assertThat(headers)
          .extracting(HeaderField::value)
          .containsExactly("from c", "from b", "1", "from a");
      assertThat(MessageText.first(headers, "RECEIVED")).contains("from c");
      assertThat(MessageText.first(headers, "X-Missing")).isEmpty();
      assertThat(MessageText.first(null, "X")).isEmpty();
    }

    @Test
    void readsAHeaderSectionWithoutBody() {
      byte[] withBreak = utf8("Subject: x\r\n");
      byte[] withoutBreak = utf8("Subject: x");
      byte[] withBlankLine = utf8("Subject: x\r\n\r\n");

      assertThat(MessageText.headers(withBreak)).containsExactly(field("Subject", "x"));
      assertThat(MessageText.headers(withoutBreak)).containsExactly(field("Subject", "x"));
      assertThat(MessageText.headers(withBlankLine)).containsExactly(field("Subject", "x"));
      assertThat(MessageText.bodyOffset(withBreak)).isEqualTo(withBreak.length);
      assertThat(MessageText.bodyOffset(withoutBreak)).isEqualTo(withoutBreak.length);
      assertThat(MessageText.bodyOffset(withBlankLine)).isEqualTo(withBlankLine.length);
      assertThat(MessageText.bodyText(withBlankLine, null)).isEmpty();
    }

    @Test
    void readsEmptyAndNullInput() {
      assertThat(MessageText.headers(new byte[0])).isEmpty();
      assertThat(MessageText.headers(null)).isEmpty();
      assertThat(MessageText.bodyOffset(new byte[0])).isZero();
      assertThat(MessageText.bodyOffset(null)).isZero();
      assertThat(MessageText.bodyText(null, null)).isEmpty();
    }

    @Test
    void readsAMessageWithoutHeaders() {
      byte[] data = utf8("\r\nonly a body\r\n");

      assertThat(MessageText.headers(data)).isEmpty();
      assertThat(MessageText.bodyOffset(data)).isEqualTo(2);
      assertThat(MessageText.bodyText(data, null)).isEqualTo("only a body\r\n");
    }

    @Test
    void acceptsBareLineFeeds() {
      byte[] data = utf8("Subject: a\n b\nTo: c@example.com\n\nbody\n");

      assertThat(MessageText.headers(data))
          .containsExactly(field("Subject", "a b"), field("To", "c@example.com"));
      assertThat(MessageText.bodyText(data, null)).isEqualTo("body\n");
    }

    @Test
    void endsTheSectionAtALineThatIsNotAField() {
      byte[] data = utf8("Subject: a\r\nthis is not a header\r\nX-Too: late\r\n");

      assertThat(MessageText.headers(data)).containsExactly(field("Subject", "a"));
      assertThat(MessageText.bodyOffset(data)).isEqualTo("Subject: a\r\n".length());
      assertThat(MessageText.bodyText(data, null))
          .isEqualTo("this is not a header\r\nX-Too: late\r\n");
    }

    @Test
    void endsTheSectionAtANameOutsideFtext() {
      assertThat(MessageText.headers(utf8("A: 1\r\nBad Name: 2\r\n"))).hasSize(1);
      assertThat(MessageText.headers(utf8("A: 1\r\nNäme: 2\r\n"))).hasSize(1);
      assertThat(MessageText.headers(utf8("A: 1\r\n: no name\r\n"))).hasSize(1);
      assertThat(MessageText.headers(utf8("A: 1\r\nX\u0001: ctl\r\n"))).hasSize(1);
      assertThat(MessageText.headers(utf8("no header at all\r\n"))).isEmpty();
      assertThat(MessageText.bodyOffset(utf8("no header at all\r\n"))).isZero();
    }

    @Test
    void acceptsPrintableNamesAndWhitespaceBeforeTheColon() {
      byte[] data = utf8("X-[Odd]!~: 1\r\nSubject \t: obsolete\r\n\r\n");

      assertThat(MessageText.headers(data))
          .containsExactly(field("X-[Odd]!~", "1"), field("Subject", "obsolete"));
    }

    @Test
    void ignoresAContinuationLineBeforeTheFirstField() {
      byte[] data = utf8(" stray\r\nSubject: x\r\n\r\nbody");

      assertThat(MessageText.headers(data)).containsExactly(field("Subject", "x"));
      assertThat(MessageText.bodyText(data, null)).isEqualTo("body");
    }

    @Test
    void skipsALeadingMboxFromLine() {
      byte[] data =
          utf8("From sender@example.com Mon Jan  1 00:00:00 2024\r\nSubject: x\r\n\r\nbody");

      assertThat(MessageText.headers(data)).containsExactly(field("Subject", "x"));
      assertThat(MessageText.bodyText(data, null)).isEqualTo("body");
    }

    @Test
    void readsAFromFieldAsAField() {
      byte[] data = utf8("From: a@example.com\r\n\r\n");

      assertThat(MessageText.headers(data)).containsExactly(field("From", "a@example.com"));
    }

    @Test
    void readsRawUtf8Headers() {
      byte[] data = utf8("Subject: Grüße aus Köln ☃\r\nTo: Jürgen <j@bücher.example>\r\n\r\n");

      assertThat(MessageText.headers(data))
          .containsExactly(
              field("Subject", "Grüße aus Köln ☃"), field("To", "Jürgen <j@bücher.example>"));
    }

    @Test
    void fallsBackToIso88591PerLine() {
      byte[] data =
          concat(
              utf8("Subject: Grüße\r\n"),
              "X-Latin: Gr\u00fc\u00dfe\r\n \u00e0 bient\u00f4t\r\n".getBytes(ISO_8859_1),
              utf8(" und ☃\r\n\r\n"));

      assertThat(MessageText.headers(data))
          .containsExactly(field("Subject", "Grüße"), field("X-Latin", "Grüße à bientôt und ☃"));
    }

    @Test
    void treatsOverlongAndSurrogateSequencesAsInvalidUtf8() {
      byte[] overlong = {'X', ':', ' ', (byte) 0xC0, (byte) 0xAF};
      byte[] surrogate = {'X', ':', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
      byte[] truncated = {'X', ':', ' ', (byte) 0xE2, (byte) 0x98};

      assertThat(MessageText.headers(overlong).get(0).value()).isEqualTo("\u00c0\u00af");
      assertThat(MessageText.headers(surrogate).get(0).value()).isEqualTo("\u00ed\u00a0\u0080");
      assertThat(MessageText.headers(truncated).get(0).value()).isEqualTo("\u00e2\u0098");
      assertThat(MessageText.isValidUtf8(utf8("a€𝄞ü"), 0, utf8("a€𝄞ü").length)).isTrue();
    }

    @Test
    void decodesEncodedWordsInValuesButKeepsRawValues() {
      byte[] data = utf8("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n  =?UTF-8?B?4piD?=\r\n\r\n");

      assertThat(MessageText.headers(data))
          .containsExactly(
              new HeaderField(
                  "Subject", "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=  =?UTF-8?B?4piD?=", "Grüße☃"));
    }

    @Test
    void returnsAnUnmodifiableList() {
      List<HeaderField> headers = MessageText.headers(utf8("A: 1\r\n\r\n"));

      assertThatThrownBy(() -> headers.add(field("B", "2")))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class EncodedWords {

    @Test
    void decodesBase64AndQuotedPrintableWords() {
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?B?R3LDvMOfZQ==?=")).isEqualTo("Grüße");
      assertThat(MessageText.decodeEncodedWords("=?utf-8?q?Gr=c3=bc=C3=9Fe_aus_K=C3=B6ln?="))
          .isEqualTo("Grüße aus Köln");
      assertThat(MessageText.decodeEncodedWords("=?utf-8?b?R3LDvMOfZQ?=")).isEqualTo("Grüße");
    }

    @Test
    void decodesIso88591AndWindows1252() {
      assertThat(MessageText.decodeEncodedWords("=?ISO-8859-1?Q?Gr=FC=DFe?=")).isEqualTo("Grüße");
      assertThat(MessageText.decodeEncodedWords("=?iso-8859-1?B?R3L83w==?=")).isEqualTo("Grüß");
      assertThat(MessageText.decodeEncodedWords("=?windows-1252?Q?=80_5_=93ok=94?="))
          .isEqualTo("€ 5 \u201cok\u201d");
    }

    @Test
    void dropsWhitespaceBetweenAdjacentWords() {
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?a?= =?UTF-8?Q?b?=")).isEqualTo("ab");
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?a?= \t =?UTF-8?B?Yg==?="))
          .isEqualTo("ab");
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=")).isEqualTo("ab");
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?a?==?UTF-8?Q?b?=")).isEqualTo("ab");
      assertThat(MessageText.decodeEncodedWords("=?ISO-8859-1?Q?=FC?= =?UTF-8?Q?=C3=BC?="))
          .isEqualTo("üü");
    }

    @Test
    void keepsWhitespaceBetweenWordsAndText() {
      assertThat(MessageText.decodeEncodedWords("Hello =?UTF-8?Q?W=C3=B6rld?= !"))
          .isEqualTo("Hello Wörld !");
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?a?= b  =?UTF-8?Q?c?="))
          .isEqualTo("a b  c");
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?J=C3=BCrgen?= <j@example.com>"))
          .isEqualTo("Jürgen <j@example.com>");
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?a_?= =?UTF-8?Q?_b?=")).isEqualTo("a  b");
    }

    @Test
    void decodesACharacterSplitAcrossWords() {
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?B?4pg=?= =?UTF-8?B?gw==?="))
          .isEqualTo("☃");
      assertThat(MessageText.decodeEncodedWords("=?utf-8?Q?x=E2=98?=\r\n =?UTF-8?Q?=83y?="))
          .isEqualTo("x☃y");
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?B?4pg=?==?UTF-8?Q?=83?=")).isEqualTo("☃");
      // A different charset in between ends the run: each part is then malformed on its own.
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?B?4pg=?= =?UTF-16BE?B?AEE=?="))
          .isEqualTo("\ufffdA");
    }

    @Test
    void acceptsAnRfc2231LanguageSuffix() {
      assertThat(MessageText.decodeEncodedWords("=?UTF-8*de?Q?Gr=C3=BC=C3=9Fe?="))
          .isEqualTo("Grüße");
    }

    @Test
    void leavesMalformedWordsAsWritten() {
      for (String malformed :
          List.of(
              "=?UTF-8?X?abc?=",
              "=?UTF-8?Q?a=ZZ?=",
              "=?UTF-8?Q?a=C?=",
              "=?UTF-8?B?a?=",
              "=?UTF-8?B?ab=c?=",
              "=?UTF-8?B?a!bc?=",
              "=?UTF-8?Q?unterminated",
              "=?UTF-8?Q?",
              "=??Q?a?=",
              "=?*de?Q?a?=",
              "=?UTF-8?Q?has space?=",
              "=?UTF-8?QQ?a?=",
              "=?UTF-8",
              "=?",
              "a=?b",
              "=?UTF-8?Q?a?x")) {
        assertThat(MessageText.decodeEncodedWords(malformed)).as(malformed).isEqualTo(malformed);
      }
    }

    @Test
    void leavesUnknownCharsetsAsWritten() {
      assertThat(MessageText.decodeEncodedWords("=?x-no-such-charset?Q?abc?="))
          .isEqualTo("=?x-no-such-charset?Q?abc?=");
      assertThat(MessageText.decodeEncodedWords("=?bad|name?Q?abc?=  =?UTF-8?Q?b?="))
          .isEqualTo("=?bad|name?Q?abc?=  b");
    }

    @Test
    void keepsTextAroundAMalformedWordBetweenGoodOnes() {
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?a?= =?bogus =?UTF-8?Q?b?="))
          .isEqualTo("a =?bogus b");
      assertThat(MessageText.decodeEncodedWords("=?=?UTF-8?Q?a?=")).isEqualTo("=?a");
    }

    @Test
    void decodesWordsNextToOtherText() {
      assertThat(MessageText.decodeEncodedWords("(=?UTF-8?Q?a?=)")).isEqualTo("(a)");
      assertThat(MessageText.decodeEncodedWords("x=?UTF-8?Q?=C3=BC?=y")).isEqualTo("xüy");
    }

    @Test
    void decodesAnEmptyWord() {
      assertThat(MessageText.decodeEncodedWords("a =?UTF-8?Q??= b")).isEqualTo("a  b");
    }

    @Test
    void returnsPlainTextItself() {
      String plain = "no words here";

      assertThat(MessageText.decodeEncodedWords(plain)).isSameAs(plain);
      assertThat(MessageText.decodeEncodedWords(null)).isEmpty();
      assertThat(MessageText.decodeEncodedWords("")).isEmpty();
    }

    @Test
    void replacesBytesThatAreInvalidInTheCharset() {
      assertThat(MessageText.decodeEncodedWords("=?UTF-8?Q?=FF?=")).isEqualTo("\ufffd");
    }
  }

  @Nested
  class Body {

    private String body(String headers, byte[] body) {
      byte[] data = concat(utf8(headers + "\r\n"), body);
      return MessageText.bodyText(data, MessageText.headers(data));
    }

    private String body(String headers, String body) {
      return body(headers, utf8(body));
    }

    @Test
    void decodesQuotedPrintableWithSoftLineBreaks() {
      String headers =
          "Content-Type: text/plain; charset=UTF-8\r\n"
              + "Content-Transfer-Encoding: quoted-printable\r\n";

      assertThat(body(headers, "Gr=C3=BC=C3=9Fe aus K=\r\n=c3=b6ln\r\nzweite Zeile\r\n"))
          .isEqualTo("Grüße aus Köln\r\nzweite Zeile\r\n");
      assertThat(body(headers, "soft with padding=  \r\nbreak and bare=\nLF="))
          .isEqualTo("soft with paddingbreak and bareLF");
    }

    @Test
    void keepsMalformedQuotedPrintable() {
      String headers = "Content-Transfer-Encoding: Quoted-Printable\r\n";

      assertThat(body(headers, "a = b =ZZ =4 end=4")).isEqualTo("a = b =ZZ =4 end=4");
      assertThat(body(headers, "=3D=3d")).isEqualTo("==");
    }

    @Test
    void dropsTrailingWhitespaceInQuotedPrintable() {
      String headers = "Content-Transfer-Encoding: quoted-printable\r\n";

      assertThat(body(headers, "line one  \r\nline\ttwo\t\r\nkept=20\r\nend  "))
          .isEqualTo("line one\r\nline\ttwo\r\nkept \r\nend");
    }

    @Test
    void decodesBase64WithLineBreaks() {
      String text = "Grüße aus Köln ☃\r\n".repeat(10);
      String encoded = Base64.getMimeEncoder().encodeToString(utf8(text));
      String headers =
          "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: BASE64\r\n";

      assertThat(encoded).contains("\r\n");
      assertThat(body(headers, encoded + "\r\n")).isEqualTo(text);
      assertThat(body(headers, encoded.replace("\r\n", "\n") + "\n")).isEqualTo(text);
    }

    @Test
    void decodesBase64Leniently() {
      String headers = "Content-Transfer-Encoding: base64 (comment)\r\n";

      assertThat(body(headers, "R3LD !vMOf\tZQ==\r\n*")).isEqualTo("Grüße");
      assertThat(body(headers, "QQ==QQ==")).isEqualTo("AA");
      assertThat(body(headers, "QUJD\r\nR")).isEqualTo("ABC");
      assertThat(body(headers, "")).isEmpty();
    }

    @Test
    void decodesWithTheCharsetParameter() {
      byte[] latin = "Grüße".getBytes(ISO_8859_1);

      assertThat(body("Content-Type: text/plain; charset=\"ISO-8859-1\"\r\n", latin))
          .isEqualTo("Grüße");
      assertThat(body("Content-Type: text/plain; charset=iso-8859-1\r\n", latin))
          .isEqualTo("Grüße");
      assertThat(body("content-type: TEXT/PLAIN;CHARSET = latin1 (western)\r\n", latin))
          .isEqualTo("Grüße");
      assertThat(
              body(
                  "Content-Type: text/plain;\r\n\tformat=flowed;\r\n\tcharset=windows-1252\r\n",
                  new byte[] {(byte) 0x80}))
          .isEqualTo("€");
    }

    @Test
    void defaultsToUtf8() {
      assertThat(body("Subject: none\r\n", "Grüße")).isEqualTo("Grüße");
      assertThat(body("Content-Type: text/plain\r\n", "Grüße")).isEqualTo("Grüße");
      assertThat(body("Content-Type: text/plain; charset=x-unknown\r\n", "Grüße"))
          .isEqualTo("Grüße");
      assertThat(body("Content-Type: text/plain; charset=\"\"\r\n", "Grüße")).isEqualTo("Grüße");
    }

    @Test
    void replacesMalformedInput() {
      assertThat(body("Content-Type: text/plain; charset=utf-8\r\n", new byte[] {'a', (byte) 0xFF}))
          .isEqualTo("a\ufffd");
      assertThat(body("Content-Type: text/plain; charset=us-ascii\r\n", utf8("ü")))
          .isEqualTo("\ufffd\ufffd");
    }

    @Test
    void leavesOtherTransferEncodingsAlone() {
      for (String encoding : List.of("7bit", "8bit", "binary", "x-unknown")) {
        assertThat(body("Content-Transfer-Encoding: " + encoding + "\r\n", "a=3Db QQ=="))
            .isEqualTo("a=3Db QQ==");
      }
    }

    @Test
    void returnsMultipartRaw() {
      String raw =
          "--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
              + "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe ☃\r\n--b1--\r\n";
      String headers =
          "Content-Type: Multipart/Mixed; boundary=\"b1\"; charset=iso-8859-1\r\n"
              + "Content-Transfer-Encoding: quoted-printable\r\n";

      assertThat(body(headers, raw)).isEqualTo(raw);
    }

    @Test
    void usesTheFirstContentType() {
      byte[] latin = "ü".getBytes(ISO_8859_1);

      assertThat(
              body(
                  "Content-Type: text/plain; charset=iso-8859-1\r\n"
                      + "Content-Type: text/plain; charset=utf-8\r\n",
                  latin))
          .isEqualTo("ü");
    }
  }

  @Nested
  class Parameters {

    @Test
    void readsQuotedAndUnquotedValues() {
      String type = "multipart/alternative; boundary=\"=_a\\\"b;c\"; charset=utf-8";

      assertThat(MessageText.contentTypeParameter(type, "boundary")).contains("=_a\"b;c");
      assertThat(MessageText.contentTypeParameter(type, "CHARSET")).contains("utf-8");
      assertThat(MessageText.contentTypeParameter(type, "name")).isEmpty();
    }

    @Test
    void skipsCommentsAndWhitespace() {
      String type = "text/plain (a; b=c) ; (x) charset (y) = (z) \"utf-8\" (end); format=flowed";

      assertThat(MessageText.contentTypeParameter(type, "charset")).contains("utf-8");
      assertThat(MessageText.contentTypeParameter(type, "format")).contains("flowed");
      assertThat(MessageText.contentTypeParameter(type, "b")).isEmpty();
    }

    @Test
    void returnsTheFirstOccurrence() {
      assertThat(MessageText.contentTypeParameter("text/plain; charset=a; charset=b", "charset"))
          .contains("a");
    }

    @Test
    void toleratesBrokenValues() {
      assertThat(MessageText.contentTypeParameter("text/plain; charset", "charset")).isEmpty();
      assertThat(MessageText.contentTypeParameter("text/plain; =x; charset=", "charset"))
          .contains("");
      assertThat(MessageText.contentTypeParameter("text/plain; name=\"open", "name"))
          .contains("open");
      assertThat(MessageText.contentTypeParameter("text/plain;;; a=1", "a")).contains("1");
      assertThat(MessageText.contentTypeParameter("text/plain; (open a=1", "a")).isEmpty();
      assertThat(MessageText.contentTypeParameter(null, "a")).isEmpty();
      assertThat(MessageText.contentTypeParameter("text/plain; a=1", null)).isEmpty();
      assertThat(MessageText.contentTypeParameter("text/plain; a=1", "")).isEmpty();
    }
  }
}
