package dev.smtpdouble.internal.capture;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns protocol bytes into transcript text: UTF-8 where it is valid, and {@code \r}, {@code \n},
 * {@code \xHH} escapes for control bytes and bytes that are not valid UTF-8, so that a transcript
 * line shows exactly what was on the wire and never breaks the one-line-per-line rendering. A
 * backslash on the wire is shown doubled ({@code \\}), so the rendering is unambiguous: a client
 * that typed {@code a\nb} shows as {@code a\\nb}, a real bare LF as {@code a\nb}, and the text
 * can always be turned back into the exact bytes.
 */
public final class Escaping {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Escaping() {}

  /**
   * The transcript text of some bytes.
   *
   * @param bytes the array
   * @param offset the first byte
   * @param length how many bytes
   * @return the text
   */
  public static String text(byte[] bytes, int offset, int length) {
    int end = offset + length;
    boolean plain = true;
    for (int i = offset; i < end; i++) {
      int b = bytes[i];
      if (b < 0x20 ? b != '\t' : b == 0x7F || b == '\\') {
        plain = false;
        break;
      }
    }
    if (plain) {
      // printable ASCII and 8-bit bytes: try UTF-8 strictly; most lines are ASCII and decode fast
      boolean ascii = true;
      for (int i = offset; i < end; i++) {
        if (bytes[i] < 0) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
      }
      String strict = strictUtf8(bytes, offset, length);
      if (strict != null) {
        return strict;
      }
    }
    return escaped(bytes, offset, end);
  }

  /**
   * Whether {@link #text} of these bytes, encoded in UTF-8, gives back these very bytes: they are
   * valid UTF-8 with no control byte (but tab), DEL or backslash. Most lines are; a writer of
   * transcript bytes can then copy them as they are.
   *
   * @param bytes the array
   * @param offset the first byte
   * @param length how many bytes
   * @return true when the bytes are their own transcript text
   */
  public static boolean verbatim(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (i <= end - 8 && Words.printableNoBackslash(Words.at(bytes, i))) {
        i += 8; // the common case: eight plain ASCII characters at once
        continue;
      }
      int b = bytes[i];
      if (b >= 0) {
        if (b < 0x20 ? b != '\t' : b == 0x7F || b == '\\') {
          return false;
        }
        i++;
      } else {
        int n = utf8Length(bytes, i, end);
        if (n == 0) {
          return false;
        }
        i += n;
      }
    }
    return true;
  }

  private static String strictUtf8(byte[] bytes, int offset, int length) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, offset, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String escaped(byte[] bytes, int offset, int end) {
    StringBuilder out = new StringBuilder(end - offset + 16);
    int i = offset;
    while (i < end) {
      int b = bytes[i] & 0xFF;
      if (b < 0x80) {
        if (b == '\r') {
          out.append("\\r");
        } else if (b == '\n') {
          out.append("\\n");
        } else if (b == '\\') {
          out.append("\\\\");
        } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
          hex(out, b);
        } else {
          out.append((char) b);
        }
        i++;
        continue;
      }
      int length = utf8Length(bytes, i, end);
      if (length > 0) {
        out.append(new String(bytes, i, length, StandardCharsets.UTF_8));
        i += length;
      } else {
        hex(out, b);
        i++;
      }
    }
    return out.toString();
  }

  /** The length of a valid UTF-8 sequence starting at i, or 0 when the bytes there are invalid. */
  private static int utf8Length(byte[] bytes, int i, int end) {
    int b = bytes[i] & 0xFF;
    int length;
    int min;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + length > end) {
      return 0;
    }
    int codePoint = b & (0x7F >> length);
    for (int k = 1; k < length; k++) {
      int c = bytes[i + k] & 0xFF;
      if ((c & 0xC0) != 0x80) {
        return 0;
      }
      codePoint = (codePoint << 6) | (c & 0x3F);
    }
    if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
      return 0;
    }
    return length;
  }

  private static void hex(StringBuilder out, int b) {
    out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xF]);
  }
}
