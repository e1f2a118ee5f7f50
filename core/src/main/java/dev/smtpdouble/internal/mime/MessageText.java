package dev.smtpdouble.internal.mime;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the header fields and the body text of a captured message for assertions in tests. Every
 * method takes what arrived as it is, however broken, and never throws: a test that inspects a
 * malformed message should fail on its own assertion, not inside the double.
 *
 * <p>The input is the message as captured: after SMTP dot-unstuffing, normally with CRLF line ends.
 * Bare LF line ends are accepted as well. References: RFC 5322 (header section, folding), RFC 6532
 * (UTF-8 in headers), RFC 2045 (transfer encodings, {@code Content-Type} parameters) and RFC 2047
 * (encoded-words).
 */
public final class MessageText {

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte SP = ' ';
  private static final byte HTAB = '\t';

  private MessageText() {}

  /**
   * Parses the header section: use it to list the fields of a captured message in order.
   *
   * <p>The section ends at the first empty line, at the first line that is neither a header field
   * nor a continuation line, or at the end of the data. A leading mbox {@code From } line is
   * skipped. A field name may be followed by whitespace before its colon (the obsolete syntax of
   * RFC 5322 §4.5); that whitespace is not part of the name. A continuation line before the first
   * field is ignored. Each line is decoded as UTF-8, or as ISO-8859-1 when it is not valid UTF-8.
   *
   * @param data the captured message; null counts as empty
   * @return the fields in the order sent, unmodifiable
   */
  public static List<HeaderField> headers(byte[] data) {
    if (data == null) {
      return List.of();
    }
    List<HeaderField> fields = new ArrayList<>();
    scan(data, fields);
    return Collections.unmodifiableList(fields);
  }

  /**
   * Finds where the body starts: use it to read the body bytes after the header section.
   *
   * @param data the captured message; null counts as empty
   * @return the index of the first body byte (just after the empty line that ends the header
   *     section, or at the first line that is not a header field), or {@code data.length} when
   *     there is no body
   */
  public static int bodyOffset(byte[] data) {
    if (data == null) {
      return 0;
    }
    return scan(data, null);
  }

  /**
   * The value of the first field with the given name: use it to look up a header without caring
   * about case or repetition.
   *
   * @param headers the fields, as from {@link #headers(byte[])}
   * @param name the field name, compared ignoring case
   * @return the {@linkplain HeaderField#value() decoded value} of the first such field, or empty
   */
  public static Optional<String> first(List<HeaderField> headers, String name) {
    HeaderField field = firstField(headers, name);
    return field == null ? Optional.empty() : Optional.of(field.value());
  }

  /**
   * Decodes the RFC 2047 encoded-words in a header value: use it to see a header the way a mail
   * reader shows it.
   *
   * <p>Both encodings ({@code B} and {@code Q}, in either case) are understood; the charset is
   * looked up with {@link Charset#forName(String)} after dropping an RFC 2231 language suffix
   * ({@code UTF-8*en}). Whitespace between two encoded-words is dropped (RFC 2047 §6.2); whitespace
   * between an encoded-word and other text is kept. The bytes of adjacent encoded-words in the same
   * charset are joined before they are decoded, so a character split across two words comes out
   * whole. Malformed encoded-words and unknown charsets are left as written. Encoded-words are
   * recognized anywhere in the value, also next to other text.
   *
   * @param value a header value, unfolded; null counts as empty
   * @return the decoded value; {@code value} itself when it holds no encoded-word
   */
  public static String decodeEncodedWords(String value) {
    if (value == null) {
      return "";
    }
    int start = value.indexOf("=?");
    if (start < 0) {
      return value;
    }
    return new EncodedWords(value).decode(start);
  }

  /**
   * The body as text: use it to assert on what the recipient reads.
   *
   * <p>The top-level {@code Content-Transfer-Encoding} {@code quoted-printable} or {@code base64}
   * is undone (leniently: malformed escapes are kept, invalid base64 characters ignored); any other
   * transfer encoding leaves the bytes as they are. The bytes are then decoded with the {@code
   * charset} parameter of {@code Content-Type}, or as UTF-8 when it is absent or unknown, malformed
   * input replaced. A {@code multipart/*} body is returned raw, decoded as UTF-8.
   *
   * @param data the captured message; null counts as empty
   * @param headers the message's fields, as from {@link #headers(byte[])}; null to parse them here
   * @return the body text, empty when there is no body
   */
  public static String bodyText(byte[] data, List<HeaderField> headers) {
    if (data == null) {
      return "";
    }
    List<HeaderField> fields = headers == null ? headers(data) : headers;
    int offset = bodyOffset(data);
    String contentType = rawValue(fields, "Content-Type");
    if (contentType != null && isMultipart(contentType)) {
      return new String(data, offset, data.length - offset, StandardCharsets.UTF_8);
    }
    byte[] bytes = data;
    int from = offset;
    int length = data.length - offset;
    String encoding = leadingToken(rawValue(fields, "Content-Transfer-Encoding"));
    if (encoding.equalsIgnoreCase("quoted-printable")) {
      bytes = new byte[length];
      length = TransferDecoding.decodeQuotedPrintable(data, offset, data.length, bytes);
      from = 0;
    } else if (encoding.equalsIgnoreCase("base64")) {
      bytes = new byte[length / 4 * 3 + 3];
      length = TransferDecoding.decodeBase64Leniently(data, offset, data.length, bytes);
      from = 0;
    }
    Charset charset = StandardCharsets.UTF_8;
    if (contentType != null) {
      Optional<String> name = contentTypeParameter(contentType, "charset");
      if (name.isPresent()) {
        Charset named = TransferDecoding.charsetOrNull(name.get().strip());
        if (named != null) {
          charset = named;
        }
      }
    }
    return new String(bytes, from, length, charset);
  }

  /**
   * The value of one parameter of a {@code Content-Type} (or other RFC 2045 style) header value:
   * use it to read {@code charset}, {@code boundary} or {@code name}.
   *
   * <p>Parameter names are compared ignoring case; a quoted value is unquoted and its backslash
   * escapes undone; comments in parentheses are skipped. RFC 2231 continuations and charsets are
   * not interpreted.
   *
   * @param contentType the header value, for example {@code text/plain; charset="utf-8"}; null
   *     counts as empty
   * @param parameter the parameter name, for example {@code charset}
   * @return the first value of that parameter, or empty when it is not there
   */
  public static Optional<String> contentTypeParameter(String contentType, String parameter) {
    if (contentType == null || parameter == null || parameter.isEmpty()) {
      return Optional.empty();
    }
    String s = contentType;
    int n = s.length();
    int i = skipToSemicolon(s, 0);
    while (i < n) {
      i = skipWhitespaceAndComments(s, i + 1);
      int nameStart = i;
      while (i < n && isParameterNameChar(s.charAt(i))) {
        i++;
      }
      int nameEnd = i;
      i = skipWhitespaceAndComments(s, i);
      if (nameEnd == nameStart || i >= n || s.charAt(i) != '=') {
        i = skipToSemicolon(s, i);
        continue;
      }
      i = skipWhitespaceAndComments(s, i + 1);
      String value;
      if (i < n && s.charAt(i) == '"') {
        StringBuilder quoted = new StringBuilder();
        i = readQuoted(s, i, quoted);
        value = quoted.toString();
      } else {
        int valueStart = i;
        while (i < n && isTokenValueChar(s.charAt(i))) {
          i++;
        }
        value = s.substring(valueStart, i);
      }
      if (parameter.length() == nameEnd - nameStart
          && s.regionMatches(true, nameStart, parameter, 0, parameter.length())) {
        return Optional.of(value);
      }
      i = skipToSemicolon(s, i);
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- header section

  /**
   * Walks the header section, adding the fields to {@code out} unless it is null.
   *
   * @return the body offset
   */
  private static int scan(byte[] data, List<HeaderField> out) {
    int n = data.length;
    int pos = 0;
    if (startsWithMboxFrom(data)) {
      int lf = indexOfLf(data, 0, n);
      pos = lf < n ? lf + 1 : n;
    }
    String name = null;
    String firstPart = null;
    StringBuilder folded = null;
    while (pos < n) {
      int lf = indexOfLf(data, pos, n);
      int end = lf > pos && data[lf - 1] == CR ? lf - 1 : lf;
      int next = lf < n ? lf + 1 : n;
      if (end == pos) {
        addField(out, name, firstPart, folded);
        return next;
      }
      byte b = data[pos];
      if (b == SP || b == HTAB) {
        if (name != null && out != null) {
          if (folded == null) {
            folded = new StringBuilder(firstPart);
          }
          folded.append(decodeLine(data, pos, end));
        }
        pos = next;
        continue;
      }
      int colon = fieldColon(data, pos, end);
      if (colon < 0) {
        addField(out, name, firstPart, folded);
        return pos;
      }
      addField(out, name, firstPart, folded);
      folded = null;
      if (out == null) {
        name = null;
        firstPart = null;
      } else {
        int nameEnd = colon;
        while (data[nameEnd - 1] == SP || data[nameEnd - 1] == HTAB) {
          nameEnd--;
        }
        name = new String(data, pos, nameEnd - pos, StandardCharsets.ISO_8859_1);
        int valueStart = colon + 1;
        while (valueStart < end && (data[valueStart] == SP || data[valueStart] == HTAB)) {
          valueStart++;
        }
        firstPart = decodeLine(data, valueStart, end);
      }
      pos = next;
    }
    addField(out, name, firstPart, folded);
    return n;
  }

  private static void addField(
      List<HeaderField> out, String name, String firstPart, StringBuilder folded) {
    if (out == null || name == null) {
      return;
    }
    String raw = trimValue(folded == null ? firstPart : folded.toString());
    out.add(new HeaderField(name, raw, decodeEncodedWords(raw)));
  }

  /** Trims SP, HTAB and stray CR at both ends; leaves other (Unicode) whitespace alone. */
  private static String trimValue(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && isTrimmed(s.charAt(from))) {
      from++;
    }
    while (to > from && isTrimmed(s.charAt(to - 1))) {
      to--;
    }
    return from == 0 && to == s.length() ? s : s.substring(from, to);
  }

  private static boolean isTrimmed(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  private static boolean startsWithMboxFrom(byte[] data) {
    if (data.length < 5
        || data[0] != 'F'
        || data[1] != 'r'
        || data[2] != 'o'
        || data[3] != 'm'
        || data[4] != ' ') {
      return false;
    }
    int lf = indexOfLf(data, 0, data.length);
    int end = lf > 0 && data[lf - 1] == CR ? lf - 1 : lf;
    return fieldColon(data, 0, end) < 0;
  }

  /**
   * The index of the colon when {@code [from, to)} starts a header field: a non-empty name of ftext
   * (printable US-ASCII but the colon), optional WSP, then a colon. Otherwise -1.
   */
  private static int fieldColon(byte[] data, int from, int to) {
    int i = from;
    while (i < to && data[i] >= 33 && data[i] <= 126 && data[i] != ':') {
      i++;
    }
    if (i == from) {
      return -1;
    }
    while (i < to && (data[i] == SP || data[i] == HTAB)) {
      i++;
    }
    return i < to && data[i] == ':' ? i : -1;
  }

  private static int indexOfLf(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == LF) {
        return i;
      }
    }
    return to;
  }

  /** Decodes one line as UTF-8 (RFC 6532), falling back to ISO-8859-1 when it is not valid. */
  private static String decodeLine(byte[] data, int from, int to) {
    int i = from;
    while (i < to && data[i] >= 0) {
      i++;
    }
    if (i == to) {
      return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }
    Charset charset =
        isValidUtf8(data, i, to) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    return new String(data, from, to - from, charset);
  }

  /** Whether {@code [from, to)} is well-formed UTF-8 by the table of RFC 3629 §4. */
  static boolean isValidUtf8(byte[] data, int from, int to) {
    int i = from;
    while (i < to) {
      int b = data[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int trailing;
      int low = 0x80;
      int high = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        trailing = 1;
      } else if (b == 0xE0) {
        trailing = 2;
        low = 0xA0;
      } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
        trailing = 2;
      } else if (b == 0xED) {
        trailing = 2;
        high = 0x9F;
      } else if (b == 0xF0) {
        trailing = 3;
        low = 0x90;
      } else if (b >= 0xF1 && b <= 0xF3) {
        trailing = 3;
      } else if (b == 0xF4) {
        trailing = 3;
        high = 0x8F;
      } else {
        return false;
      }
      if (to - i <= trailing) {
        return false;
      }
      int second = data[i + 1] & 0xFF;
      if (second < low || second > high) {
        return false;
      }
      for (int k = 2; k <= trailing; k++) {
        int next = data[i + k] & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          return false;
        }
      }
      i += trailing + 1;
    }
    return true;
  }

  private static HeaderField firstField(List<HeaderField> headers, String name) {
    if (headers == null || name == null) {
      return null;
    }
    for (HeaderField field : headers) {
      if (field != null && field.name().equalsIgnoreCase(name)) {
        return field;
      }
    }
    return null;
  }

  private static String rawValue(List<HeaderField> headers, String name) {
    HeaderField field = firstField(headers, name);
    return field == null ? null : field.rawValue();
  }

  // ---------------------------------------------------------------- body

  private static boolean isMultipart(String contentType) {
    String s = contentType;
    int i = skipWhitespaceAndComments(s, 0);
    return s.regionMatches(true, i, "multipart/", 0, "multipart/".length());
  }

  /** The first token of a header value such as {@code base64 (comment)}, or "" for null. */
  private static String leadingToken(String value) {
    if (value == null) {
      return "";
    }
    int start = skipWhitespaceAndComments(value, 0);
    int end = start;
    while (end < value.length() && isTokenValueChar(value.charAt(end))) {
      end++;
    }
    return value.substring(start, end).toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- structured values

  private static boolean isParameterNameChar(char c) {
    return c > ' ' && c < 127 && c != '=' && c != ';' && c != '(' && c != '"';
  }

  /** An RFC 2045 token character, lenient: anything printable but WSP, ';', '(' and '"'. */
  private static boolean isTokenValueChar(char c) {
    return c > ' ' && c != 127 && c != ';' && c != '(' && c != '"';
  }

  /** The index of the next ';' outside quotes and comments at or after {@code from}, or length. */
  private static int skipToSemicolon(String s, int from) {
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == ';') {
        return i;
      } else if (c == '"') {
        i = readQuoted(s, i, null);
      } else if (c == '(') {
        i = skipComment(s, i);
      } else {
        i++;
      }
    }
    return n;
  }

  private static int skipWhitespaceAndComments(String s, int from) {
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
      } else if (c == '(') {
        i = skipComment(s, i);
      } else {
        break;
      }
    }
    return i;
  }

  /** Skips a comment starting at {@code from} ('('), nested and with quoted-pairs. */
  private static int skipComment(String s, int from) {
    int depth = 0;
    int i = from;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i++);
      if (c == '\\') {
        i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return n;
  }

  /**
   * Reads a quoted-string starting at {@code from} ('"'), appending its content without the quotes
   * and escapes to {@code into} unless null.
   *
   * @return the index after the closing quote, or the length when it is missing
   */
  private static int readQuoted(String s, int from, StringBuilder into) {
    int i = from + 1;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i < n) {
        c = s.charAt(i++);
      }
      if (into != null) {
        into.append(c);
      }
    }
    return n;
  }
}
