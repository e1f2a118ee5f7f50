package dev.smtpdouble.internal.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A text file written as things happen, without making the writers wait for the disk: {@link
 * #append} only copies the line into memory, and one writer thread writes what has gathered at
 * least every {@value #INTERVAL_MILLIS} ms, at once when a writer asks with {@link #append(String,
 * boolean)}, and whenever a batch reaches {@value #BATCH} octets. A session waits only when more
 * than {@value #LIMIT} octets are waiting for the disk, and then only as long as the disk takes to
 * catch up. What waits is held in blocks of {@value #BATCH} octets, never in one array (which, at
 * half a G1 region or more, would be a humongous object).
 *
 * <p>What a crash loses: the lines of the last {@value #INTERVAL_MILLIS} ms (a written batch is in
 * the operating system's hands and survives the process being killed, though not the machine
 * losing power). The first write error is reported once through {@link #problem()} and on the
 * console; later lines are then dropped rather than blocking the sessions.
 */
final class LiveFile implements AutoCloseable {
  static final int INTERVAL_MILLIS = 100;
  static final int BATCH = 64 * 1024;
  static final int LIMIT = 8 * 1024 * 1024;

  private final Path path;
  private final OutputStream out;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private final Thread writer;
  private final Reporter reporter;
  private final Gather gather;
  /** What waits for the disk: full blocks of {@value #BATCH} octets, the last one partly. */
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private int lastLength;
  private int pendingLength;
  /** Written blocks kept for reuse, a few. */
  private final ArrayDeque<byte[]> spares = new ArrayDeque<>();
  private boolean urgent;
  private boolean closed;
  private IOException problem;

  /** Hands over lines kept elsewhere, on the writer thread, before each write. */
  interface Gather {
    /**
     * Appends what is waiting elsewhere, with {@link #appendBytes}. It must not wait for a lock
     * that a writer waiting for the disk may hold, except when {@code closing}: then no writer
     * waits.
     *
     * @param closing true for the last time, when the file is closing
     */
    void run(boolean closing);
  }

  /** Where a write error is told, once. */
  interface Reporter {
    /**
     * The file could not be written.
     *
     * @param path the file
     * @param problem what went wrong
     */
    void failed(Path path, IOException problem);
  }

  /**
   * Creates (or empties) the file and starts its writer thread.
   *
   * @param path the file
   * @param reporter told of the first write error
   * @throws IOException when the file cannot be created
   */
  LiveFile(Path path, Reporter reporter) throws IOException {
    this(path, reporter, closing -> {});
  }

  /**
   * Creates (or empties) the file and starts its writer thread, which runs {@code gather} before
   * each write: a writer that keeps lines of its own (by session, say) hands them over there with
   * {@link #appendBytes}.
   *
   * @param path the file
   * @param reporter told of the first write error
   * @param gather run on the writer thread before each write, and once more when closing
   * @throws IOException when the file cannot be created
   */
  LiveFile(Path path, Reporter reporter, Gather gather) throws IOException {
    this.path = path;
    this.reporter = reporter;
    this.gather = gather;
    // FileOutputStream, unlike a channel, is not closed when a thread is interrupted
    this.out = new FileOutputStream(path.toFile(), false);
    this.writer = new Thread(this::writeLoop, "smtp-double-writer-" + path.getFileName());
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Adds a line (a line break is added); it reaches the file within {@value #INTERVAL_MILLIS} ms.
   *
   * @param line the line
   */
  void append(String line) {
    append(line, false);
  }

  /**
   * Adds a line, and with {@code now} has the writer write it at once (a session's end, say).
   *
   * @param line the line
   * @param now whether to write without waiting for the interval
   */
  void append(String line, boolean now) {
    appendText(line + "\n", now);
  }

  /**
   * Adds text that is one or more whole lines, each with its line break.
   *
   * @param lines the lines
   * @param now whether to write without waiting for the interval
   */
  void appendText(String lines, boolean now) {
    byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
    appendBytes(bytes, 0, bytes.length, now);
  }

  /**
   * Adds octets that end with a line break, or continue what the last call added. Waits while
   * more than {@value #LIMIT} octets wait for the disk, except on the writer thread (in {@code
   * gather}), which never waits for itself.
   *
   * @param bytes the array
   * @param offset the first octet
   * @param length how many
   * @param now whether to write without waiting for the interval
   */
  void appendBytes(byte[] bytes, int offset, int length, boolean now) {
    boolean onWriter = Thread.currentThread() == writer;
    lock.lock();
    try {
      while (pendingLength + length > LIMIT
          && pendingLength > 0
          && !closed
          && problem == null
          && !onWriter) {
        work.signal();
        drained.awaitUninterruptibly();
      }
      if (problem != null || (closed && !onWriter)) {
        return;
      }
      for (int off = 0; off < length; ) {
        if (pending.isEmpty() || lastLength == BATCH) {
          byte[] block = spares.pollFirst();
          pending.addLast(block != null ? block : new byte[BATCH]);
          lastLength = 0;
        }
        int n = Math.min(BATCH - lastLength, length - off);
        System.arraycopy(bytes, offset + off, pending.peekLast(), lastLength, n);
        lastLength += n;
        off += n;
      }
      pendingLength += length;
      if (now || pendingLength >= BATCH) {
        urgent |= now;
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The first write error, if any.
   *
   * @return the error or null
   */
  IOException problem() {
    lock.lock();
    try {
      return problem;
    } finally {
      lock.unlock();
    }
  }

  private void writeLoop() {
    while (true) {
      byte[][] batch;
      int last;
      boolean closing;
      lock.lock();
      try {
        if (!urgent && !closed && pendingLength < BATCH) {
          // gather for the interval: one write for many lines
          work.awaitNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
        }
        closing = closed;
      } catch (InterruptedException e) {
        // only close() interrupts, and it wants everything written: carry on
        continue;
      } finally {
        lock.unlock();
      }
      try {
        gather.run(closing);
      } catch (RuntimeException e) {
        reporter.failed(path, new IOException("cannot gather the lines to write", e));
      }
      lock.lock();
      try {
        if (pendingLength == 0) {
          urgent = false;
          if (closing) {
            drained.signalAll();
            return;
          }
          continue;
        }
        batch = pending.toArray(new byte[0][]);
        last = lastLength;
        pending.clear();
        lastLength = 0;
        pendingLength = 0;
        urgent = false;
        drained.signalAll();
      } finally {
        lock.unlock();
      }
      IOException failure = null;
      try {
        for (int i = 0; i < batch.length; i++) {
          out.write(batch[i], 0, i == batch.length - 1 ? last : BATCH);
        }
      } catch (IOException e) {
        failure = e;
      }
      lock.lock();
      try {
        for (int i = 0; i < batch.length && spares.size() < 2; i++) {
          spares.addLast(batch[i]);
        }
        if (failure != null && problem == null) {
          problem = failure;
          pending.clear();
          lastLength = 0;
          pendingLength = 0;
        }
        drained.signalAll();
      } finally {
        lock.unlock();
      }
      if (failure != null) {
        reporter.failed(path, failure);
      }
    }
  }

  /**
   * Writes what is left, stops the writer thread and closes the file. Idempotent.
   *
   * @throws IOException when the last writes or the close failed
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signal();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (true) {
      try {
        writer.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    out.close();
    IOException failure = problem();
    if (failure != null) {
      throw failure;
    }
  }
}
