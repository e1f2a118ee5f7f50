package dev.smtpdouble.internal.capture;

import dev.smtpdouble.Transcript.Direction;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.Transcript.Line;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The transcript of one session, kept compact: lines are appended as bytes to a small chain of
 * byte chunks (kind, time in microseconds since the session began, length, bytes), and message
 * data is held by reference to the {@link DataRecord} the captured message shares. A snapshot is
 * O(chunks) and decodes into {@link Line}s only when someone reads it.
 *
 * <p>One session thread writes; any thread may take snapshots. Appends and snapshots synchronize
 * on the log (never contended in practice, and never held across I/O).
 */
public final class SessionLog {

  /**
   * Receives each line as it is appended, as it was logged rather than rendered: the receiver
   * decides whether and how to render it (the command line's transcript.log renders straight into
   * bytes; the double's {@code Listener} gets {@code Transcript.Line}s).
   */
  public interface Listener {
    /**
     * A line was appended. Called on the session's thread, in order, under the log's lock.
     *
     * @param log the session
     * @param direction who said it
     * @param bytes the line as on the wire (a note or mark in UTF-8), without its line break; only
     *     valid during the call
     * @param offset where it starts
     * @param length its length
     */
    void line(SessionLog log, Direction direction, byte[] bytes, int offset, int length);

    /**
     * Message data was appended. Called on the session's thread, in order, under the log's lock.
     *
     * @param log the session
     * @param record the data, by reference (see {@link DataRecord#forEachSentLine})
     */
    void data(SessionLog log, DataRecord record);

    /**
     * The session ended.
     *
     * @param log the session
     */
    void ended(SessionLog log);
  }

  private static final byte CLIENT = 0;
  private static final byte SERVER = 1;
  private static final byte EVENT = 2;
  private static final byte VIOLATION = 3;
  private static final byte DATA = 4;
  private static final Direction[] DIRECTIONS = {
    Direction.CLIENT, Direction.SERVER, Direction.EVENT, Direction.VIOLATION
  };
  private static final int FIRST_CHUNK = 256;
  private static final int MAX_CHUNK = 16 * 1024;

  private final int number;
  private final InetSocketAddress remote;
  private final long startNanos;
  private final Instant startedAt;
  private final Listener listener;
  private final boolean keepLines;

  private byte[][] chunks = new byte[4][];
  private int[] chunkEnds = new int[4];
  private int chunkCount;
  private byte[] current;
  private int position;
  private DataRecord[] records = new DataRecord[2];
  private int recordCount;
  private int lineCount;
  /** Written under the lock; read without it by {@link #ended()}. */
  private volatile Ending ending = Ending.OPEN;
  private Instant endedAt;

  /**
   * A new, open session log.
   *
   * @param number the 1-based session number
   * @param remote the client's address
   * @param listener receives lines as they come, or null
   */
  public SessionLog(int number, InetSocketAddress remote, Listener listener) {
    this(number, remote, listener, true);
  }

  /**
   * A new, open session log that may pass its lines on without keeping them: the command line
   * writes them to its transcript.log and keeps nothing in memory for a long run.
   *
   * @param number the 1-based session number
   * @param remote the client's address
   * @param listener receives lines as they come, or null
   * @param keepLines false to keep no line (snapshots then have none; lines are still counted)
   */
  public SessionLog(int number, InetSocketAddress remote, Listener listener, boolean keepLines) {
    this.number = number;
    this.remote = remote;
    this.listener = listener;
    this.keepLines = keepLines;
    this.startNanos = System.nanoTime();
    this.startedAt = Instant.now();
  }

  /**
   * The 1-based session number.
   *
   * @return the number
   */
  public int number() {
    return number;
  }

  /**
   * The client's address.
   *
   * @return the address
   */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  /**
   * How many transcript lines the session has so far (message data counts line by line).
   *
   * @return the count
   */
  public synchronized int lineCount() {
    return lineCount;
  }

  /**
   * A line the client sent, without its line break.
   *
   * @param bytes the array
   * @param offset where the line starts
   * @param length its length
   */
  public void client(byte[] bytes, int offset, int length) {
    append(CLIENT, bytes, offset, length);
  }

  /**
   * A line the double sent, without its line break.
   *
   * @param bytes the array
   * @param offset where the line starts
   * @param length its length
   */
  public void server(byte[] bytes, int offset, int length) {
    append(SERVER, bytes, offset, length);
  }

  /**
   * A note by the double, such as {@code reset by script}.
   *
   * @param text the note
   */
  public void event(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    append(EVENT, bytes, 0, bytes.length);
  }

  /**
   * A violation mark, such as {@code bare LF (RFC 5321 §2.3.8)}.
   *
   * @param text the mark
   */
  public void violation(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    append(VIOLATION, bytes, 0, bytes.length);
  }

  /**
   * Message data, by reference.
   *
   * @param record the data
   */
  public void data(DataRecord record) {
    int lines = record.lineCount();
    synchronized (this) {
      if (!keepLines) {
        lineCount += lines;
        if (listener != null) {
          listener.data(this, record);
        }
        return;
      }
      if (recordCount == records.length) {
        records = Arrays.copyOf(records, recordCount * 2);
      }
      records[recordCount] = record;
      ensure(12);
      current[position++] = DATA;
      position = writeVarLong(current, position, micros());
      position = writeVarLong(current, position, recordCount);
      recordCount++;
      lineCount += lines;
      if (listener != null) {
        listener.data(this, record);
      }
    }
  }

  /**
   * Marks the end of the session; later calls keep the first ending.
   *
   * @param how how it ended
   */
  public void end(Ending how) {
    synchronized (this) {
      if (ending != Ending.OPEN) {
        return;
      }
      ending = how;
      // on the same clock as the lines' times (start plus elapsed monotonic time)
      endedAt = startedAt.plusNanos(System.nanoTime() - startNanos);
      trim();
      if (listener != null) {
        listener.ended(this);
      }
    }
  }

  /**
   * How the session ended so far. Takes no lock.
   *
   * @return the ending, {@link Ending#OPEN} while open
   */
  public Ending ending() {
    return ending;
  }

  /**
   * Whether the session has ended. Takes no lock: the double checks every log when a session
   * starts.
   *
   * @return true once {@link #end} was called
   */
  public boolean ended() {
    return ending != Ending.OPEN;
  }

  /**
   * A consistent view of the lines so far.
   *
   * @return the snapshot
   */
  public synchronized Snapshot snapshot() {
    byte[][] copy = new byte[chunkCount + 1][];
    int[] ends = new int[chunkCount + 1];
    System.arraycopy(chunks, 0, copy, 0, chunkCount);
    System.arraycopy(chunkEnds, 0, ends, 0, chunkCount);
    int count = chunkCount;
    if (current != null) {
      copy[count] = current;
      ends[count] = position;
      count++;
    }
    return new Snapshot(
        number,
        remote,
        startedAt,
        endedAt,
        ending,
        Arrays.copyOf(copy, count),
        Arrays.copyOf(ends, count),
        Arrays.copyOf(records, recordCount));
  }

  private void append(byte kind, byte[] bytes, int offset, int length) {
    synchronized (this) {
      if (!keepLines) {
        lineCount++;
        if (listener != null) {
          listener.line(this, DIRECTIONS[kind], bytes, offset, length);
        }
        return;
      }
      ensure(length + 16);
      current[position++] = kind;
      position = writeVarLong(current, position, micros());
      position = writeVarLong(current, position, length);
      System.arraycopy(bytes, offset, current, position, length);
      position += length;
      lineCount++;
      if (listener != null) {
        listener.line(this, DIRECTIONS[kind], bytes, offset, length);
      }
    }
  }

  private long micros() {
    return (System.nanoTime() - startNanos) / 1000;
  }

  /** Makes room for {@code needed} bytes in the current chunk, starting a new one if necessary. */
  private void ensure(int needed) {
    if (current != null && current.length - position >= needed) {
      return;
    }
    if (current != null) {
      seal();
    }
    int size = chunkCount == 0 ? FIRST_CHUNK : Math.min(MAX_CHUNK, FIRST_CHUNK << chunkCount);
    current = new byte[Math.max(size, needed)];
    position = 0;
  }

  private void seal() {
    if (chunkCount == chunks.length) {
      chunks = Arrays.copyOf(chunks, chunkCount * 2);
      chunkEnds = Arrays.copyOf(chunkEnds, chunkCount * 2);
    }
    chunks[chunkCount] = current;
    chunkEnds[chunkCount] = position;
    chunkCount++;
    current = null;
  }

  /** Gives back the unused tail of the last chunk once the session is over. */
  private void trim() {
    if (current != null && position < current.length) {
      current = Arrays.copyOf(current, position);
    }
  }

  private static int writeVarLong(byte[] out, int pos, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }

  /** An immutable view of a session at one moment; decodes lazily. */
  public static final class Snapshot {
    private final int number;
    private final InetSocketAddress remote;
    private final Instant startedAt;
    private final Instant endedAt;
    private final Ending ending;
    private final byte[][] chunks;
    private final int[] ends;
    private final DataRecord[] records;

    Snapshot(
        int number,
        InetSocketAddress remote,
        Instant startedAt,
        Instant endedAt,
        Ending ending,
        byte[][] chunks,
        int[] ends,
        DataRecord[] records) {
      this.number = number;
      this.remote = remote;
      this.startedAt = startedAt;
      this.endedAt = endedAt;
      this.ending = ending;
      this.chunks = chunks;
      this.ends = ends;
      this.records = records;
    }

    /**
     * The session number.
     *
     * @return the number
     */
    public int number() {
      return number;
    }

    /**
     * The client's address.
     *
     * @return the address
     */
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    /**
     * When the session began.
     *
     * @return the time
     */
    public Instant startedAt() {
      return startedAt;
    }

    /**
     * When it ended, or null while open.
     *
     * @return the time or null
     */
    public Instant endedAt() {
      return endedAt;
    }

    /**
     * How it ended.
     *
     * @return the ending
     */
    public Ending ending() {
      return ending;
    }

    /**
     * Decodes the lines.
     *
     * @return the lines in order
     */
    public List<Line> decode() {
      BlockList<Line> lines = new BlockList<>();
      for (int c = 0; c < chunks.length; c++) {
        byte[] chunk = chunks[c];
        int pos = 0;
        int end = ends[c];
        while (pos < end) {
          byte kind = chunk[pos++];
          long micros = 0;
          int shift = 0;
          byte b;
          do {
            b = chunk[pos++];
            micros |= (long) (b & 0x7F) << shift;
            shift += 7;
          } while (b < 0);
          long value = 0;
          shift = 0;
          do {
            b = chunk[pos++];
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
          } while (b < 0);
          Instant time = startedAt.plusNanos(micros * 1000);
          if (kind == DATA) {
            records[(int) value]
                .render(text -> lines.append(new Line(Direction.CLIENT, text, time, true)));
          } else {
            int length = (int) value;
            lines.append(new Line(DIRECTIONS[kind], Escaping.text(chunk, pos, length), time, false));
            pos += length;
          }
        }
      }
      return lines;
    }
  }
}
