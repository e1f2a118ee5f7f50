package dev.smtpdouble.internal.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffers what the session writes and sends it in as few writes as possible: replies to a
 * pipelined batch go out together, right before the session next waits for input.
 */
final class SmtpOutput {
  private final OutputStream out;
  private final long writeTimeoutNanos;
  private final byte[] buffer = new byte[8192];
  private int count;

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
    if (length > buffer.length - count) {
      flush();
      if (length > buffer.length) {
        send(bytes, offset, length);
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, count, length);
    count += length;
  }

  void flush() throws IOException {
    if (count > 0) {
      int n = count;
      count = 0;
      send(buffer, 0, n);
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
