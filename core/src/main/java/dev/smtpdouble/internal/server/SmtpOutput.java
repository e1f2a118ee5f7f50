package dev.smtpdouble.internal.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffers what the session writes and sends it in as few writes as possible: replies to a
 * pipelined batch go out together, right before the session next waits for input.
 */
final class SmtpOutput {
  private final OutputStream out;
  private final long writeTimeoutNanos;
  private final byte[] buffer = new byte[8192];
  private int count;

  /** Held by every write: the double's closing thread may write a last reply (a 421). */
  private final ReentrantLock lock = new ReentrantLock();

  /** Set by {@link #sendLast}: nothing more goes out. */
  private boolean closed;

  /** When the write under way must be done by (System.nanoTime()), or 0 when none is. */
  private volatile long writeDeadline;

  SmtpOutput(OutputStream out, long writeTimeoutNanos) {
    this.out = out;
    this.writeTimeoutNanos = writeTimeoutNanos;
  }

  /**
   * Whether a write has been blocked past its deadline: the client stopped reading.
   *
   * @param now {@code System.nanoTime()}
   * @return true when the session's writer is stuck
   */
  boolean stuck(long now) {
    long deadline = writeDeadline;
    return deadline != 0 && now - deadline > 0;
  }

  void write(byte[] bytes, int offset, int length) throws IOException {
    lock.lock();
    try {
      refuseWhenClosed();
      if (length > buffer.length - count) {
        flush();
        if (length > buffer.length) {
          send(bytes, offset, length);
          return;
        }
      }
      System.arraycopy(bytes, offset, buffer, count, length);
      count += length;
    } finally {
      lock.unlock();
    }
  }

  void flush() throws IOException {
    lock.lock();
    try {
      refuseWhenClosed();
      if (count > 0) {
        int n = count;
        count = 0;
        send(buffer, 0, n);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * From another thread, as the double closes: sends {@code bytes} (its last words, a 421) instead
   * of what the session has buffered, and refuses every write after them, so that no reply the
   * session was still composing (a 250 for a message not yet recorded) reaches the client. Does
   * nothing when the session's own thread stays in the middle of a write (a client that stopped
   * reading).
   *
   * @return whether the bytes went out
   */
  boolean sendLast(byte[] bytes) throws IOException {
    try {
      if (!lock.tryLock(50, TimeUnit.MILLISECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      count = 0;
      closed = true;
      send(bytes, 0, bytes.length);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void refuseWhenClosed() throws IOException {
    if (closed) {
      throw new IOException("the double is closing: its 421 was the last reply");
    }
  }

  /** Writes to the socket under a deadline that the double's watchdog enforces. */
  private void send(byte[] bytes, int offset, int length) throws IOException {
    if (writeTimeoutNanos > 0) {
      writeDeadline = System.nanoTime() + writeTimeoutNanos;
    }
    try {
      out.write(bytes, offset, length);
    } finally {
      writeDeadline = 0;
    }
  }
}
