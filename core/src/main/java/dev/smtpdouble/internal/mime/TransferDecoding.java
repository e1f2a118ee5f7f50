package dev.smtpdouble.internal.mime;

import java.nio.charset.Charset;

/**
 * The content transfer encodings of RFC 2045, undone leniently: quoted-printable and base64, and
 * the charsets named in headers. Malformed input is kept or skipped, never an exception.
 */
final class TransferDecoding {
  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte SP = ' ';
  private static final byte HTAB = '\t';

  private TransferDecoding() {}

  /**
   * Undoes quoted-printable (RFC 2045 §6.7) leniently: soft line breaks (also with whitespace
   * before the line break) are removed, {@code =XX} is decoded in either case, any other {@code =}
   * is kept, and whitespace at the end of a line is dropped as transport padding.
   *
   * @return the number of bytes written to {@code out}, which must hold {@code to - from}
   */
  static int decodeQuotedPrintable(byte[] data, int from, int to, byte[] out) {
    int o = 0;
    int i = from;
    while (i < to) {
      byte b = data[i];
      if (b == '=') {
        if (i + 2 < to) {
          int high = hexValue(data[i + 1]);
          int low = hexValue(data[i + 2]);
          if (high >= 0 && low >= 0) {
            out[o++] = (byte) (high << 4 | low);
            i += 3;
            continue;
          }
        }
        int j = skipBlanks(data, i + 1, to);
        if (j == to) {
          i = to;
        } else if (data[j] == LF) {
          i = j + 1;
        } else if (data[j] == CR) {
          i = j + 1 < to && data[j + 1] == LF ? j + 2 : j + 1;
        } else {
          out[o++] = b;
          i++;
        }
      } else if (b == SP || b == HTAB) {
        int j = skipBlanks(data, i, to);
        if (j == to || data[j] == CR || data[j] == LF) {
          i = j;
        } else {
          while (i < j) {
            out[o++] = data[i++];
          }
        }
      } else {
        out[o++] = b;
        i++;
      }
    }
    return o;
  }

  private static int skipBlanks(byte[] data, int from, int to) {
    int i = from;
    while (i < to && (data[i] == SP || data[i] == HTAB)) {
      i++;
    }
    return i;
  }

  /**
   * Undoes base64 leniently: characters outside the alphabet are ignored, {@code =} ends a quantum
   * (so padded pieces can follow each other), and a dangling single character is dropped.
   *
   * @return the number of bytes written to {@code out}, which must hold {@code (to - from) / 4 * 3
   *     + 3}
   */
  static int decodeBase64Leniently(byte[] data, int from, int to, byte[] out) {
    int o = 0;
    int bits = 0;
    int count = 0;
    for (int i = from; i < to; i++) {
      int c = data[i];
      if (c == '=') {
        bits = 0;
        count = 0;
        continue;
      }
      int v = base64Value(c);
      if (v < 0) {
        continue;
      }
      bits = bits << 6 | v;
      count += 6;
      if (count >= 8) {
        count -= 8;
        out[o++] = (byte) (bits >> count);
        bits &= (1 << count) - 1;
      }
    }
    return o;
  }

  static int base64Value(int c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '+') {
      return 62;
    }
    if (c == '/') {
      return 63;
    }
    return -1;
  }

  static int hexValue(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /** The charset of that name, or null when it is no charset this JVM knows. */
  static Charset charsetOrNull(String name) {
    if (name.isEmpty()) {
      return null;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      // IllegalCharsetNameException and UnsupportedCharsetException: not a charset we know.
      return null;
    }
  }
}
