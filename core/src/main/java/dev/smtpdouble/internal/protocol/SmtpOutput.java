package dev.smtpdouble.internal.protocol;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffers what the session writes and sends it in as few writes as possible: replies to a
 * pipelined batch go out together, right before the session next waits for input.
 */
final class SmtpOutput {
  private final OutputStream out;
  private final byte[] buffer = new byte[8192];
  private int count;

  SmtpOutput(OutputStream out) {
    this.out = out;
  }

  void write(byte[] bytes, int offset, int length) throws IOException {
    if (length > buffer.length - count) {
      flush();
      if (length > buffer.length) {
        out.write(bytes, offset, length);
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, count, length);
    count += length;
  }

  boolean hasPending() {
    return count > 0;
  }

  void flush() throws IOException {
    if (count > 0) {
      int n = count;
      count = 0;
      out.write(buffer, 0, n);
    }
  }

  /** Drops what was not sent yet (the connection is being aborted). */
  void discard() {
    count = 0;
  }
}
