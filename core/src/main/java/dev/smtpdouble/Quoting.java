package dev.smtpdouble;

/** Renders texts and raw bytes as the double-quoted strings of the script language. */
final class Quoting {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Quoting() {}

  /** A reply text or pattern in quotes; only {@code "} and {@code \} need escapes. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      if (c == '\t') {
        out.append("\\t");
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Raw bytes in quotes: printable ASCII as is, {@code \r \n \t \\ \"} and {@code \xHH} else. */
  static String quoteBytes(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 2).append('"');
    for (byte b : bytes) {
      int c = b & 0xFF;
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        default -> {
          if (c >= 0x20 && c < 0x7F) {
            out.append((char) c);
          } else {
            out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
