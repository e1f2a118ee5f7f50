package dev.smtpdouble.internal.mime;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Header;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Messages written by Jakarta Mail read the same with {@link MessageText} as with Jakarta Mail. */
@Timeout(30)
class JakartaMailCrossCheckTest {

  private static final Session SESSION = Session.getInstance(new Properties());

  private static final String SNOWMAN_SUBJECT = "Grüße aus Köln ☃";

  private static final String LONG_ASCII_SUBJECT =
      "This subject is long enough that Jakarta Mail has to fold it over several lines,"
          + " because a header line should stay below seventy-eight characters in total";

  private static final String LONG_UNICODE_SUBJECT =
      "Schöne Grüße aus Köln am Rhein, wo die Straßenbahn über die Brücke fährt ☃ "
          + "und der Dom über der Altstadt thront, während Möwen über dem Fluss kreisen";

  private static MimeMessage message(String subject, String text, String charset)
      throws MessagingException, IOException {
    MimeMessage message = new MimeMessage(SESSION);
    message.setFrom(new InternetAddress("juergen@example.com", "Jürgen Müller", "UTF-8"));
    message.setRecipients(
        RecipientType.TO,
        new InternetAddress[] {
          new InternetAddress("anne@example.com", "Anne-Sophie Ångström", "UTF-8"),
          new InternetAddress("plain@example.com")
        });
    message.setSubject(subject, "UTF-8");
    message.setText(text, charset);
    message.saveChanges();
    return message;
  }

  private static byte[] bytes(MimeMessage message) throws MessagingException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    message.writeTo(out);
    return out.toByteArray();
  }

  /** What Jakarta Mail itself reads back from the bytes. */
  private static MimeMessage readBack(byte[] data) throws MessagingException {
    return new MimeMessage(SESSION, new ByteArrayInputStream(data));
  }

  private static void assertSameHeaders(byte[] data) throws MessagingException, IOException {
    List<HeaderField> ours = MessageText.headers(data);
    List<Header> theirs = Collections.list(readBack(data).getAllHeaders());

    List<String> expected = new ArrayList<>();
    for (Header header : theirs) {
      // RFC 5322 unfolding keeps the whitespace after the line break; MimeUtility.unfold would
      // collapse it to one space (Jakarta Mail folds address lists with a tab).
      String unfolded = header.getValue().replace("\r\n", "");
      expected.add(header.getName() + " | " + unfolded + " | " + MimeUtility.decodeText(unfolded));
    }
    List<String> actual = new ArrayList<>();
    for (HeaderField field : ours) {
      actual.add(field.name() + " | " + field.rawValue() + " | " + field.value());
    }
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void readsTheEncodedSubjectAndAddressesLikeJakartaMail() throws Exception {
    byte[] data = bytes(message(SNOWMAN_SUBJECT, "Hallo!\r\n", "UTF-8"));
    List<HeaderField> headers = MessageText.headers(data);

    assertThat(new String(data, US_ASCII)).contains("Subject: =?UTF-8?");
    assertThat(MessageText.first(headers, "subject"))
        .contains(SNOWMAN_SUBJECT)
        .contains(readBack(data).getSubject());
    assertThat(MessageText.first(headers, "From")).contains("Jürgen Müller <juergen@example.com>");
    assertThat(MessageText.first(headers, "To"))
        .contains("Anne-Sophie Ångström <anne@example.com>,\tplain@example.com");
    assertSameHeaders(data);
  }

  @ParameterizedTest
  @ValueSource(strings = {LONG_ASCII_SUBJECT, LONG_UNICODE_SUBJECT})
  void unfoldsLongSubjectsLikeJakartaMail(String subject) throws Exception {
    byte[] data = bytes(message(subject, "text\r\n", "UTF-8"));
    String written = new String(data, US_ASCII);

    assertThat(written.substring(written.indexOf("Subject:")))
        .as("the subject really is folded")
        .containsPattern("^Subject:[^\r\n]*\r\n[ \t]");
    assertThat(MessageText.first(MessageText.headers(data), "Subject"))
        .contains(subject)
        .contains(readBack(data).getSubject());
    assertSameHeaders(data);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Grüße aus Köln ☃\r\nZweite Zeile.\r\n",
        "Eine sehr lange Zeile mit Umlauten (ä, ö, ü, ß) die länger als sechsundsiebzig"
            + " Zeichen ist, damit Jakarta Mail weiche Zeilenumbrüche einfügen muss. Grüße!\r\n",
        "ありがとうございます。☃☃☃ Всё хорошо, спасибо.\r\n",
        "plain ascii only\r\n"
      })
  void readsBodiesLikeJakartaMail(String text) throws Exception {
    byte[] data = bytes(message(SNOWMAN_SUBJECT, text, "UTF-8"));
    List<HeaderField> headers = MessageText.headers(data);
    Object content = readBack(data).getContent();

    assertThat(content).isInstanceOf(String.class);
    assertThat(MessageText.bodyText(data, headers)).isEqualTo(content).isEqualTo(text);
    assertSameHeaders(data);
  }

  @Test
  void choosesTheEncodingsThisTestMeansToCover() throws Exception {
    assertThat(encodingOf("Grüße aus Köln ☃\r\n")).contains("quoted-printable");
    assertThat(encodingOf("ありがとうございます。☃☃☃\r\n")).contains("base64");
    assertThat(encodingOf("plain ascii only\r\n")).contains("7bit");
    String longLine = "Eine sehr lange Zeile mit Umlauten (ä, ö, ü, ß) ".repeat(4) + "\r\n";
    byte[] data = bytes(message(SNOWMAN_SUBJECT, longLine, "UTF-8"));
    assertThat(new String(data, US_ASCII)).contains("=\r\n");
    assertThat(MessageText.bodyText(data, null)).isEqualTo(longLine);
  }

  private static Optional<String> encodingOf(String text) throws Exception {
    byte[] data = bytes(message("s", text, "UTF-8"));
    return MessageText.first(MessageText.headers(data), "Content-Transfer-Encoding");
  }

  @Test
  void readsAnIso88591BodyLikeJakartaMail() throws Exception {
    String text = "Grüße aus Köln, à bientôt\r\n";
    byte[] data = bytes(message(SNOWMAN_SUBJECT, text, "ISO-8859-1"));

    assertThat(MessageText.first(MessageText.headers(data), "Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).containsIgnoringCase("iso-8859-1"));
    assertThat(MessageText.bodyText(data, null))
        .isEqualTo(readBack(data).getContent())
        .isEqualTo(text);
  }
}
