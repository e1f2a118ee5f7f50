package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.internal.capture.Words;
import java.io.Flushable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;

/**
 * Reads a session's input in large blocks: command lines, DATA bodies (finding CRLF.CRLF and
 * undoing dot-stuffing in bulk, with array copies rather than byte-by-byte stream calls), and BDAT
 * chunks. Before it blocks for more input it flushes the session's pending replies, which is what
 * makes pipelined batches cheap: their replies leave in one write.
 */
public final class SmtpInput {
  static final int BUFFER_SIZE = 64 * 1024;
  static final int COMMAND_BUFFER_SIZE = 4 * 1024;

  /** Where the bytes come from: the connection's socket, or memory in a unit test. */
  @FunctionalInterface
  public interface Source {
    /**
     * Reads what is there, waiting at most {@code timeoutMillis} for the first byte.
     *
     * @param buffer where to put the bytes
     * @param offset where to start
     * @param length at most this many
     * @param timeoutMillis how long to wait; 0 for as long as it takes
     * @return how many bytes were read, or -1 at the end of the input
     * @throws InterruptedIOException when the time passed with nothing read
     * @throws IOException when the connection fails
     */
    int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException;
  }

  private final Source in;
  private final Flushable beforeBlocking;
  /** Small while the session exchanges commands; {@value #BUFFER_SIZE} octets from its first data. */
  private byte[] buf = new byte[COMMAND_BUFFER_SIZE];
  private int pos;
  private int limit;

  /**
   * Input over a source.
   *
   * @param in the bytes the client sends
   * @param beforeBlocking flushed before each wait for more input (the replies waiting to leave)
   */
  public SmtpInput(Source in, Flushable beforeBlocking) {
    this.in = in;
    this.beforeBlocking = beforeBlocking;
  }

  /**
   * Throws away what the client sent ahead.
   *
   * @return how many octets
   */
  public int discardBuffered() {
    int n = limit - pos;
    pos = limit;
    return n;
  }

  /**
   * Whether bytes the client sent are waiting unread (it sent ahead of the reply).
   *
   * @return true when some are
   */
  public boolean hasBuffered() {
    return pos < limit;
  }

  /** One command line. */
  static final class RawLine {
    byte[] bytes = new byte[1024];
    int length;
    long octets;
    boolean overflow;
    boolean bareLf;
    boolean bareCr;
    boolean ahead;
    boolean complete;

    void reset() {
      length = 0;
      octets = 0;
      overflow = false;
      bareLf = false;
      bareCr = false;
      ahead = false;
      complete = false;
    }

    void append(byte[] src, int offset, int n, int maxStored) {
      octets += n;
      int room = maxStored - length;
      int take = Math.min(n, Math.max(room, 0));
      if (take < n) {
        overflow = true;
      }
      if (take > 0) {
        if (length + take > bytes.length) {
          bytes = Arrays.copyOf(bytes, Math.max(length + take, bytes.length * 2));
        }
        System.arraycopy(src, offset, bytes, length, take);
        length += take;
      }
    }
  }

  /**
   * Reads one line ending with LF (CRLF, or a bare LF which is noted). Stores at most {@code
   * maxStored} bytes of it and counts the rest.
   *
   * @return false at end of input; the line then holds whatever partial line arrived
   */
  boolean readLine(RawLine line, int maxStored, long deadline) throws IOException {
    line.reset();
    line.ahead = pos < limit;
    boolean lastWasCr = false;
    while (true) {
      if (pos == limit && !fill(deadline)) {
        return false;
      }
      int start = pos;
      int i = start;
      byte[] b = buf;
      int lim = limit;
      while (i < lim && b[i] != '\n') {
        i++;
      }
      if (i > start) {
        lastWasCr = b[i - 1] == '\r';
        line.append(b, start, i - start, maxStored);
      }
      if (i < lim) {
        pos = i + 1;
        line.octets++;
        line.complete = true;
        if (lastWasCr) {
          if (!line.overflow && line.length > 0) {
            line.length--;
          }
        } else {
          line.bareLf = true;
        }
        for (int k = 0; k < line.length; k++) {
          if (line.bytes[k] == '\r') {
            line.bareCr = true;
            break;
          }
        }
        return true;
      }
      pos = lim;
    }
  }

  /** What {@link #readData} found. */
  static final class DataResult {
    boolean complete;
    long octets;
    int lines;
    int[] unstuffedDots = new int[0];
    int unstuffedCount;
    int bareLfLines;
    int firstBareLf = -1;
    int bareCrLines;
    int firstBareCr = -1;
    int longLines;
    int firstLong = -1;
    int nulLines;
    int firstNul = -1;
    boolean eightBit;
    int firstEightBit = -1;

    void reset() {
      complete = false;
      octets = 0;
      lines = 0;
      unstuffedCount = 0;
      bareLfLines = 0;
      firstBareLf = -1;
      bareCrLines = 0;
      firstBareCr = -1;
      longLines = 0;
      firstLong = -1;
      nulLines = 0;
      firstNul = -1;
      eightBit = false;
      firstEightBit = -1;
    }

    int[] unstuffedDots() {
      return unstuffedCount == 0 ? null : Arrays.copyOf(unstuffedDots, unstuffedCount);
    }

    private void unstuffedAt(int offset) {
      if (unstuffedCount == unstuffedDots.length) {
        unstuffedDots = Arrays.copyOf(unstuffedDots, Math.max(8, unstuffedCount * 2));
      }
      unstuffedDots[unstuffedCount++] = offset;
    }
  }

  /**
   * Reads a DATA body up to and including CRLF.CRLF, removing the extra leading period of
   * dot-stuffed lines. Stores at most {@code storeLimit} octets in {@code out}; counts the rest.
   * Lines are counted from 0; line-level findings (bare CR/LF, NUL, long lines, 8-bit bytes) go
   * into the result.
   */
  void readData(GrowableBytes out, long storeLimit, long deadline, DataResult result)
      throws IOException {
    forData();
    result.reset();
    boolean atLineStart = true;
    boolean prevCr = false;
    boolean lineHasBareCr = false;
    boolean lineHasBareLf = false;
    boolean lineHasNul = false;
    long lineLength = 0;
    int acc = 0;
    // bytes from pending up to pos are data not yet copied out: they leave in one copy per block
    // (before the buffer is refilled, at a stuffed period, at the end), not one per line
    int pending = pos;
    while (true) {
      if (atLineStart) {
        // decide on the first bytes of a line: the end marker ".\r\n", or a stuffed period
        if (limit - pos < 3) {
          store(out, pending, pos, storeLimit, result);
          while (limit - pos < 3) {
            if (!fill(deadline)) {
              break;
            }
          }
          pending = pos;
        }
        int available = limit - pos;
        if (available == 0) {
          finish(result, acc);
          return;
        }
        if (buf[pos] == '.') {
          store(out, pending, pos, storeLimit, result);
          if (available >= 3 && buf[pos + 1] == '\r' && buf[pos + 2] == '\n') {
            pos += 3;
            result.complete = true;
            finish(result, acc);
            return;
          }
          pos++;
          pending = pos;
          if (available < 2 || buf[pos] != '.') {
            result.unstuffedAt((int) Math.min(Integer.MAX_VALUE, result.octets));
          }
        }
        atLineStart = false;
        prevCr = false;
      }
      if (pos == limit) {
        store(out, pending, pos, storeLimit, result);
        if (!fill(deadline)) {
          finish(result, acc);
          return;
        }
        pending = pos;
      }
      byte[] b = buf;
      int lim = limit;
      int start = pos;
      if (prevCr && b[start] != '\n') {
        lineHasBareCr = true;
      }
      int i = start;
      scan:
      while (i < lim) {
        // eight plain bytes (0x0E to 0x7F: no CR, LF or 8-bit byte) at a time
        while (i + 8 <= lim && Words.noLineEndNorEightBit(Words.at(b, i))) {
          i += 8;
        }
        for (int stop = Math.min(i + 8, lim); i < stop; i++) {
          byte c = b[i];
          if (c <= '\r') {
            if (c == '\n') {
              break scan;
            }
            if (c == '\r' && i + 1 < lim && b[i + 1] != '\n') {
              lineHasBareCr = true;
            } else if (c == 0) {
              lineHasNul = true;
            }
          }
          acc |= c;
        }
      }
      if (i >= lim) {
        lineLength += lim - start;
        prevCr = b[lim - 1] == '\r';
        pos = lim;
        continue;
      }
      boolean crBefore = i > start ? b[i - 1] == '\r' : prevCr;
      lineLength += i - start;
      pos = i + 1;
      prevCr = false;
      if (!crBefore) {
        // a bare LF does not end a line: the line (and its length) go on
        lineHasBareLf = true;
        lineLength++;
        continue;
      }
      lineLength--; // the CR is not part of the text
      if (lineHasBareLf) {
        result.bareLfLines++;
        if (result.firstBareLf < 0) {
          result.firstBareLf = result.lines;
        }
      }
      if (lineHasBareCr) {
        result.bareCrLines++;
        if (result.firstBareCr < 0) {
          result.firstBareCr = result.lines;
        }
      }
      if (lineHasNul) {
        result.nulLines++;
        if (result.firstNul < 0) {
          result.firstNul = result.lines;
        }
      }
      if (acc < 0 && result.firstEightBit < 0) {
        result.firstEightBit = result.lines;
      }
      if (lineLength > 998) {
        result.longLines++;
        if (result.firstLong < 0) {
          result.firstLong = result.lines;
        }
      }
      result.lines++;
      lineLength = 0;
      lineHasBareCr = false;
      lineHasBareLf = false;
      lineHasNul = false;
      atLineStart = true;
    }
  }

  /** Copies buf[from, to) out, keeping at most {@code storeLimit} octets of data in all. */
  private void store(GrowableBytes out, int from, int to, long storeLimit, DataResult result) {
    int length = to - from;
    if (length <= 0) {
      return;
    }
    long stored = result.octets;
    result.octets += length;
    if (stored < storeLimit) {
      int n = (int) Math.min(length, storeLimit - stored);
      out.write(buf, from, n);
    }
  }

  private static void finish(DataResult result, int acc) {
    result.eightBit = acc < 0;
  }

  /**
   * Reads exactly {@code size} octets (a BDAT chunk) into {@code out}, storing at most {@code
   * storeLimit - alreadyStored} of them.
   *
   * @return false when the input ended first
   */
  boolean readChunk(long size, GrowableBytes out, long storeRoom, long deadline) throws IOException {
    forData();
    long left = size;
    long room = storeRoom;
    while (left > 0) {
      if (pos == limit && !fill(deadline)) {
        return false;
      }
      int n = (int) Math.min(left, limit - pos);
      int keep = (int) Math.min(n, Math.max(0, room));
      if (keep > 0) {
        out.write(buf, pos, keep);
        room -= keep;
      }
      pos += n;
      left -= n;
    }
    return true;
  }

  /**
   * Message data is read in blocks of {@value #BUFFER_SIZE} octets; a session that never sends any
   * (most of a test's sessions are short) never allocates them.
   */
  private void forData() {
    if (buf.length < BUFFER_SIZE) {
      buf = Arrays.copyOf(buf, BUFFER_SIZE);
    }
  }

  private boolean fill(long deadline) throws IOException {
    beforeBlocking.flush();
    if (pos == limit) {
      pos = 0;
      limit = 0;
    } else if (limit == buf.length) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int timeout = 0;
    if (deadline != 0) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new InterruptedIOException("deadline passed");
      }
      timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000));
    }
    int n = in.read(buf, limit, buf.length - limit, timeout);
    if (n <= 0) {
      return false;
    }
    limit += n;
    return true;
  }
}
