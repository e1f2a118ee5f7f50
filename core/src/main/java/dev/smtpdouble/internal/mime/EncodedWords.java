package dev.smtpdouble.internal.mime;

import java.nio.charset.Charset;

/**
 * Decodes the encoded-words (RFC 2047) of one header value; single use. See {@link
 * MessageText#decodeEncodedWords(String)}.
 */
final class EncodedWords {
  private final String s;
  private final StringBuilder out;

  /** Decoded bytes of the current run of adjacent encoded-words in {@link #runCharset}. */
  private final byte[] run;

  private final byte[] word;
  private int runLength;
  private Charset runCharset;
  private int wordLength;
  private Charset wordCharset;
  private int wordEnd;

  EncodedWords(String s) {
    this.s = s;
    this.out = new StringBuilder(s.length());
    // Decoded bytes never outnumber the characters of the encoded text.
    this.run = new byte[s.length()];
    this.word = new byte[s.length()];
  }

  String decode(int firstStart) {
    int copyFrom = 0;
    int start = firstStart;
    while (start >= 0) {
      if (!parseWord(start)) {
        start = s.indexOf("=?", start + 1);
        continue;
      }
      boolean joined = runCharset != null && isLinearWhitespace(copyFrom, start);
      if (!joined || !wordCharset.equals(runCharset)) {
        flush();
        if (!joined) {
          out.append(s, copyFrom, start);
        }
        runCharset = wordCharset;
      }
      System.arraycopy(word, 0, run, runLength, wordLength);
      runLength += wordLength;
      copyFrom = wordEnd;
      start = s.indexOf("=?", wordEnd);
    }
    flush();
    out.append(s, copyFrom, s.length());
    return out.toString();
  }

  private void flush() {
    if (runCharset != null) {
      out.append(new String(run, 0, runLength, runCharset));
      runCharset = null;
      runLength = 0;
    }
  }

  private boolean isLinearWhitespace(int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses and decodes {@code =?charset?encoding?text?=} at {@code start} into {@link #word},
   * {@link #wordCharset} and {@link #wordEnd}.
   *
   * @return false when it is not a well-formed encoded-word in a known charset
   */
  private boolean parseWord(int start) {
    int n = s.length();
    int i = start + 2;
    int charsetStart = i;
    int languageStart = -1;
    while (i < n && isCharsetChar(s.charAt(i))) {
      if (s.charAt(i) == '*' && languageStart < 0) {
        languageStart = i;
      }
      i++;
    }
    int charsetEnd = languageStart < 0 ? i : languageStart;
    if (charsetEnd == charsetStart || i + 2 >= n || s.charAt(i) != '?') {
      return false;
    }
    char encoding = s.charAt(i + 1);
    if (s.charAt(i + 2) != '?') {
      return false;
    }
    int textStart = i + 3;
    int textEnd = textStart;
    while (textEnd < n && isEncodedTextChar(s.charAt(textEnd))) {
      textEnd++;
    }
    if (textEnd + 1 >= n || s.charAt(textEnd) != '?' || s.charAt(textEnd + 1) != '=') {
      return false;
    }
    boolean decoded;
    if (encoding == 'B' || encoding == 'b') {
      decoded = decodeB(textStart, textEnd);
    } else if (encoding == 'Q' || encoding == 'q') {
      decoded = decodeQ(textStart, textEnd);
    } else {
      return false;
    }
    if (!decoded) {
      return false;
    }
    Charset charset = TransferDecoding.charsetOrNull(s.substring(charsetStart, charsetEnd));
    if (charset == null) {
      return false;
    }
    wordCharset = charset;
    wordEnd = textEnd + 2;
    return true;
  }

  private static boolean isCharsetChar(char c) {
    return c > ' ' && c < 127 && c != '?';
  }

  private static boolean isEncodedTextChar(char c) {
    return c > ' ' && c < 127 && c != '?';
  }

  private boolean decodeQ(int from, int to) {
    int o = 0;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '_') {
        word[o++] = ' ';
        i++;
      } else if (c == '=') {
        if (i + 2 >= to) {
          return false;
        }
        int high = TransferDecoding.hexValue(s.charAt(i + 1));
        int low = TransferDecoding.hexValue(s.charAt(i + 2));
        if (high < 0 || low < 0) {
          return false;
        }
        word[o++] = (byte) (high << 4 | low);
        i += 3;
      } else {
        word[o++] = (byte) c;
        i++;
      }
    }
    wordLength = o;
    return true;
  }

  private boolean decodeB(int from, int to) {
    int o = 0;
    int bits = 0;
    int count = 0;
    int symbols = 0;
    int padding = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '=') {
        if (++padding > 2) {
          return false;
        }
        continue;
      }
      int v = TransferDecoding.base64Value(c);
      if (v < 0 || padding > 0) {
        return false;
      }
      symbols++;
      bits = bits << 6 | v;
      count += 6;
      if (count >= 8) {
        count -= 8;
        word[o++] = (byte) (bits >> count);
        bits &= (1 << count) - 1;
      }
    }
    if (symbols % 4 == 1) {
      return false;
    }
    wordLength = o;
    return true;
  }
}
