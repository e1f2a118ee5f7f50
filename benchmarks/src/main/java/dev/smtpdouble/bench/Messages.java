package dev.smtpdouble.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The messages the scenarios send: plain text of an exact size, no line starting with a period. */
final class Messages {
  static final int KIB = 1024;
  static final int MIB = 1024 * 1024;

  private Messages() {}

  /**
   * A message of exactly {@code size} octets: a few header fields, a blank line, then 76-character
   * text lines, every line ending with CRLF.
   *
   * @param size the size, at least 256
   * @return the message data as the server should keep it
   */
  static byte[] ofSize(int size) {
    String head =
        "From: sender@bench.test\r\n"
            + "To: recipient@bench.test\r\n"
            + "Subject: benchmark message of "
            + size
            + " octets\r\n"
            + "Message-ID: <bench-"
            + size
            + "@bench.test>\r\n"
            + "\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
    int n = 0;
    while (out.size() < size) {
      int left = size - out.size();
      // lines of 78 octets with their CRLF; the last ones shorter, none under 3 octets
      int lineOctets = left >= 81 || left == 78 ? 78 : left <= 78 ? left : left - 40;
      if (lineOctets < 3) {
        throw new IllegalArgumentException("size " + size + " is too small");
      }
      StringBuilder text = new StringBuilder(lineOctets);
      for (int i = 0; i < lineOctets - 2; i++) {
        text.append(alphabet.charAt((n + i) % alphabet.length()));
      }
      n++;
      out.writeBytes(text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    }
    byte[] data = out.toByteArray();
    if (data.length != size) {
      throw new IllegalStateException("built " + data.length + " octets instead of " + size);
    }
    return data;
  }

  /**
   * The data followed by the end-of-data marker, ready to write after a 354. The scenarios'
   * messages have no line starting with a period, so no dot-stuffing is needed; this checks it.
   *
   * @param data the message
   * @return data + {@code .CRLF}
   */
  static byte[] withTerminator(byte[] data) {
    if (data.length > 0 && data[0] == '.') {
      throw new IllegalArgumentException("the data would need dot-stuffing");
    }
    for (int i = 0; i + 1 < data.length; i++) {
      if (data[i] == '\n' && data[i + 1] == '.') {
        throw new IllegalArgumentException("the data would need dot-stuffing");
      }
    }
    if (data.length < 2 || data[data.length - 2] != '\r' || data[data.length - 1] != '\n') {
      throw new IllegalArgumentException("the data must end with CRLF");
    }
    byte[] out = new byte[data.length + 3];
    System.arraycopy(data, 0, out, 0, data.length);
    out[data.length] = '.';
    out[data.length + 1] = '\r';
    out[data.length + 2] = '\n';
    return out;
  }
}
