package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A reply encoded once for the wire ({@code 250-...CRLF 250 ...CRLF}), with where each line starts
 * so the transcript can log it without encoding again.
 */
public final class EncodedReply {
  private final Reply reply;
  private final byte[] wire;
  private final int[] starts;
  private final int[] lengths;

  private EncodedReply(Reply reply, byte[] wire, int[] starts, int[] lengths) {
    this.reply = reply;
    this.wire = wire;
    this.starts = starts;
    this.lengths = lengths;
  }

  /**
   * Encodes a reply.
   *
   * @param code the code
   * @param lines its lines, at least one
   * @return the encoded reply
   */
  public static EncodedReply of(int code, List<String> lines) {
    Reply reply = new Reply(code, lines);
    byte[][] encoded = new byte[lines.size()][];
    int total = 0;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = lines.get(i).getBytes(StandardCharsets.UTF_8);
      total += encoded[i].length + 6;
    }
    byte[] wire = new byte[total];
    int[] starts = new int[encoded.length];
    int[] lengths = new int[encoded.length];
    int pos = 0;
    byte[] digits = Integer.toString(code).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < encoded.length; i++) {
      starts[i] = pos;
      System.arraycopy(digits, 0, wire, pos, 3);
      pos += 3;
      wire[pos++] = (byte) (i == encoded.length - 1 ? ' ' : '-');
      System.arraycopy(encoded[i], 0, wire, pos, encoded[i].length);
      pos += encoded[i].length;
      lengths[i] = pos - starts[i];
      wire[pos++] = '\r';
      wire[pos++] = '\n';
    }
    return new EncodedReply(reply, wire, starts, lengths);
  }

  /**
   * A one-line reply.
   *
   * @param code the code
   * @param text the text
   * @return the encoded reply
   */
  public static EncodedReply of(int code, String text) {
    return of(code, List.of(text));
  }

  /**
   * The reply value.
   *
   * @return the reply
   */
  public Reply reply() {
    return reply;
  }

  /**
   * The code.
   *
   * @return the code
   */
  public int code() {
    return reply.code();
  }

  /**
   * Whether it is 2xx or 3xx.
   *
   * @return true when positive
   */
  public boolean positive() {
    return reply.code() < 400;
  }

  byte[] wire() {
    return wire;
  }

  int lineCount() {
    return starts.length;
  }

  int lineStart(int line) {
    return starts[line];
  }

  int lineLength(int line) {
    return lengths[line];
  }
}
