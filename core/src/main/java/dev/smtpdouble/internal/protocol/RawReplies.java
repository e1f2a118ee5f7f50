package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the reply a {@code send} action wrote, when its raw bytes happen to form one. */
final class RawReplies {
  private RawReplies() {}

  /** Whether the bytes start with a 2xx or 3xx code: the session then moves as for a success. */
  static boolean positive(byte[] bytes) {
    return bytes.length >= 3
        && (bytes[0] == '2' || bytes[0] == '3')
        && isDigit(bytes[1])
        && isDigit(bytes[2]);
  }

  /**
   * The reply the bytes spell, when they are one well-formed reply (one or more CRLF-ended lines
   * with the same code); otherwise null.
   */
  static Reply parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.endsWith("\r\n")) {
      return null;
    }
    String[] lines = text.substring(0, text.length() - 2).split("\r\n", -1);
    List<String> texts = new ArrayList<>();
    int code = -1;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
        return null;
      }
      int lineCode = Integer.parseInt(line.substring(0, 3));
      if (code >= 0 && lineCode != code) {
        return null;
      }
      code = lineCode;
      boolean last = i == lines.length - 1;
      char separator = line.length() > 3 ? line.charAt(3) : ' ';
      if (separator != (last ? ' ' : '-')) {
        return null;
      }
      texts.add(line.length() > 4 ? line.substring(4) : "");
    }
    if (code < 200 || code > 599) {
      return null;
    }
    return new Reply(code, texts);
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
