package dev.smtpdouble.internal.capture;

import java.util.function.Consumer;

/**
 * Message data as the transcript shows it, held by reference: the transcript and the captured
 * message share one array, so a body is stored once.
 *
 * <p>DATA bodies are stored unstuffed (as the message keeps them) and rendered re-stuffed, exactly
 * as the client sent them: a data line starting with a period was sent with an extra period, and
 * the few lines where the client sent a lone leading period that it should have doubled are
 * remembered by offset. BDAT chunks are verbatim.
 */
public final class DataRecord {
  private static final int[] NONE = new int[0];

  private final boolean dotStuffed;
  private final boolean complete;
  private final int[] unstuffedDots;
  private volatile byte[] array;
  private volatile int offset;
  private final int length;
  private final int knownLines;

  private DataRecord(
      boolean dotStuffed,
      boolean complete,
      int[] unstuffedDots,
      byte[] array,
      int offset,
      int length,
      int knownLines) {
    this.dotStuffed = dotStuffed;
    this.complete = complete;
    this.unstuffedDots = unstuffedDots == null ? NONE : unstuffedDots;
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.knownLines = knownLines;
  }

  /**
   * A DATA body.
   *
   * @param data the unstuffed bytes (not copied)
   * @param unstuffedDots ascending offsets of data lines the client sent with a lone period that
   *     the double removed, or null
   * @param complete whether the terminating CRLF.CRLF arrived
   * @return the record
   */
  public static DataRecord data(byte[] data, int[] unstuffedDots, boolean complete) {
    return new DataRecord(true, complete, unstuffedDots, data, 0, data.length, -1);
  }

  /**
   * A complete DATA body whose CRLF-ended lines the reader already counted, so the transcript
   * need not scan it again.
   *
   * @param data the unstuffed bytes (not copied), ending with CRLF or empty
   * @param unstuffedDots as for {@link #data(byte[], int[], boolean)}
   * @param crlfLines how many CRLF line ends the data holds
   * @return the record
   */
  public static DataRecord complete(byte[] data, int[] unstuffedDots, int crlfLines) {
    return new DataRecord(true, true, unstuffedDots, data, 0, data.length, crlfLines + 1);
  }

  /**
   * A BDAT chunk, verbatim.
   *
   * @param array the array holding it (not copied)
   * @param offset where it starts
   * @param length its size
   * @return the record
   */
  public static DataRecord chunk(byte[] array, int offset, int length) {
    return new DataRecord(false, false, null, array, offset, length, -1);
  }

  /**
   * Points a chunk at its copy inside the finished message, so the chunk's own buffer can go.
   *
   * @param newArray the message data
   * @param newOffset where the chunk starts in it
   */
  public void relocate(byte[] newArray, int newOffset) {
    synchronized (this) {
      this.array = newArray;
      this.offset = newOffset;
    }
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
    byte[] a;
    int start;
    synchronized (this) {
      a = array;
      start = offset;
    }
    int count = 0;
    int end = start + length;
    int pos = start;
    while (pos < end) {
      int lineEnd = crlf(a, pos, end);
      count++;
      pos = lineEnd + 2;
    }
    return count + (complete ? 1 : 0);
  }

  /**
   * Emits the lines as the client sent them, a DATA body ending with {@code "."}.
   *
   * @param line receives each line's text
   */
  public void render(Consumer<String> line) {
    byte[] a;
    int start;
    synchronized (this) {
      a = array;
      start = offset;
    }
    int end = start + length;
    int pos = start;
    int next = 0;
    while (pos < end) {
      int lineEnd = crlf(a, pos, end);
      String text = Escaping.text(a, pos, Math.min(lineEnd, end) - pos);
      if (dotStuffed) {
        int relative = pos - start;
        if (text.startsWith(".")) {
          text = "." + text;
        } else {
          while (next < unstuffedDots.length && unstuffedDots[next] < relative) {
            next++;
          }
          if (next < unstuffedDots.length && unstuffedDots[next] == relative) {
            text = "." + text;
          }
        }
      }
      line.accept(text);
      pos = lineEnd + 2;
    }
    if (complete) {
      line.accept(".");
    }
  }

  /** The index of the CR of the next CRLF at or after pos, or end when there is none. */
  private static int crlf(byte[] a, int pos, int end) {
    for (int i = pos; i < end - 1; i++) {
      if (a[i] == '\r' && a[i + 1] == '\n') {
        return i;
      }
    }
    return end;
  }
}
