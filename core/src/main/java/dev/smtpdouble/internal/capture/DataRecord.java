package dev.smtpdouble.internal.capture;

import java.util.function.Consumer;

/**
 * Message data as the transcript shows it, held by reference: the transcript and the captured
 * message share one {@link MessageData}, so a body is stored once.
 *
 * <p>DATA bodies are stored unstuffed (as the message keeps them) and rendered re-stuffed, exactly
 * as the client sent them: a data line starting with a period was sent with an extra period, and
 * the few lines where the client sent a lone leading period that it should have doubled are
 * remembered by offset. BDAT chunks are verbatim.
 */
public final class DataRecord {
  private static final int[] NONE = new int[0];

  private final MessageData data;
  private final boolean dotStuffed;
  private final boolean complete;
  private final int[] unstuffedDots;
  private final int knownLines;

  private DataRecord(
      MessageData data, boolean dotStuffed, boolean complete, int[] unstuffedDots, int knownLines) {
    this.data = data;
    this.dotStuffed = dotStuffed;
    this.complete = complete;
    this.unstuffedDots = unstuffedDots == null ? NONE : unstuffedDots;
    this.knownLines = knownLines;
  }

  /**
   * A DATA body.
   *
   * @param data the unstuffed bytes
   * @param unstuffedDots ascending offsets of data lines the client sent with a lone period that
   *     the double removed, or null
   * @param complete whether the terminating CRLF.CRLF arrived
   * @return the record
   */
  public static DataRecord data(MessageData data, int[] unstuffedDots, boolean complete) {
    return new DataRecord(data, true, complete, unstuffedDots, -1);
  }

  /**
   * A complete DATA body whose CRLF-ended lines the reader already counted, so the transcript
   * need not scan it again.
   *
   * @param data the unstuffed bytes, ending with CRLF or empty
   * @param unstuffedDots as for {@link #data(MessageData, int[], boolean)}
   * @param crlfLines how many CRLF line ends the data holds
   * @return the record
   */
  public static DataRecord complete(MessageData data, int[] unstuffedDots, int crlfLines) {
    return new DataRecord(data, true, true, unstuffedDots, crlfLines + 1);
  }

  /**
   * A BDAT chunk, verbatim.
   *
   * @param chunk the chunk
   * @return the record
   */
  public static DataRecord chunk(MessageData chunk) {
    return new DataRecord(chunk, false, false, null, -1);
  }

  /**
   * How many lines {@link #render} produces.
   *
   * @return the count
   */
  public int lineCount() {
    if (knownLines >= 0) {
      return knownLines;
    }
    // block by block: a large chunk is never joined into one array
    int count = data.crlfBefore(data.length());
    if (data.length() > 0 && !data.endsWithCrlf()) {
      count++;
    }
    return count + (complete ? 1 : 0);
  }

  /** Receives a data line as the client sent it. */
  public interface SentLine {
    /**
     * One line, without its line break.
     *
     * @param bytes the array holding the stored line; only valid during the call
     * @param offset where the stored line starts
     * @param length its length
     * @param extraDot whether the client sent a period before the stored bytes (dot-stuffing, or
     *     a lone leading period it should have doubled)
     */
    void line(byte[] bytes, int offset, int length, boolean extraDot);
  }

  private static final byte[] DOT = {'.'};

  /**
   * Emits the lines as the client sent them, a DATA body ending with {@code "."}, as bytes: no
   * text is made, so a receiver that writes bytes copies each line once.
   *
   * @param line receives each line
   */
  public void forEachSentLine(SentLine line) {
    int[] next = {0};
    data.forEachLine(
        (bytes, offset, length, position) -> {
          boolean extraDot = false;
          if (dotStuffed) {
            if (length > 0 && bytes[offset] == '.') {
              extraDot = true;
            } else {
              while (next[0] < unstuffedDots.length && unstuffedDots[next[0]] < position) {
                next[0]++;
              }
              extraDot = next[0] < unstuffedDots.length && unstuffedDots[next[0]] == position;
            }
          }
          line.line(bytes, offset, length, extraDot);
        });
    if (complete) {
      line.line(DOT, 0, 1, false);
    }
  }

  /**
   * Emits the lines as the client sent them, a DATA body ending with {@code "."}, as transcript
   * text (see {@link Escaping}).
   *
   * @param line receives each line's text
   */
  public void render(Consumer<String> line) {
    forEachSentLine(
        (bytes, offset, length, extraDot) -> {
          String text = Escaping.text(bytes, offset, length);
          line.accept(extraDot ? "." + text : text);
        });
  }
}
