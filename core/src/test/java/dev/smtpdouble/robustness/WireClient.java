package dev.smtpdouble.robustness;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A client for hostile tests: writes bytes cut into random TCP writes with random short pauses,
 * reads whole replies (or everything until the end) with a bound on every read, and never throws
 * on a connection the double has closed: it reports it instead.
 */
final class WireClient implements AutoCloseable {
  /** One reply: its code and lines without CRLF. */
  record Reply(int code, List<String> lines) {
    String last() {
      return lines.get(lines.size() - 1);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private long written;
  private boolean writeFailed;

  private WireClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects with a read timeout, in milliseconds. */
  static WireClient connect(String host, int port, int readTimeoutMillis) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(readTimeoutMillis);
      socket.setTcpNoDelay(true);
      return new WireClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Socket socket() {
    return socket;
  }

  /** Octets written so far. */
  long written() {
    return written;
  }

  /** Whether a write failed because the double had closed the connection. */
  boolean writeFailed() {
    return writeFailed;
  }

  /** Writes the bytes in one write; false when the connection was gone. */
  boolean write(byte[] bytes) {
    return write(bytes, 0, bytes.length);
  }

  private boolean write(byte[] bytes, int offset, int length) {
    if (writeFailed) {
      return false;
    }
    try {
      out.write(bytes, offset, length);
      out.flush();
      written += length;
      return true;
    } catch (IOException e) {
      writeFailed = true;
      return false;
    }
  }

  /**
   * Writes the bytes cut at random places into at most {@code maxWrites} writes, with a random
   * short pause (mostly none, sometimes 1 to 5 ms, rarely 20 ms) before each; false when the
   * connection was gone.
   */
  boolean writeSplit(byte[] bytes, Random random, int maxWrites) {
    int at = 0;
    int writes = 0;
    while (at < bytes.length) {
      int left = bytes.length - at;
      int piece;
      if (++writes >= maxWrites) {
        piece = left;
      } else {
        int kind = random.nextInt(10);
        piece =
            kind < 2
                ? 1
                : kind < 5 ? 1 + random.nextInt(8) : kind < 8 ? 1 + random.nextInt(512) : left;
        piece = Math.min(piece, left);
      }
      pause(random);
      if (!write(bytes, at, piece)) {
        return false;
      }
      at += piece;
    }
    return true;
  }

  /** A random short pause: mostly none, sometimes 1 to 5 ms, rarely 20 ms. */
  static void pause(Random random) {
    int kind = random.nextInt(100);
    if (kind < 75) {
      return;
    }
    Robustness.sleep(kind < 97 ? 1 + random.nextInt(5) : 20);
  }

  /**
   * Reads one whole reply, possibly multi-line; null when the connection ended first (EOF or
   * reset). A read that passes the timeout fails the test: the double hung.
   */
  Reply readReply() {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = readLine();
      if (line == null) {
        return null;
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        int code;
        try {
          code = Integer.parseInt(line.substring(0, Math.min(3, line.length())));
        } catch (NumberFormatException e) {
          throw new AssertionError("not a reply line: " + lines);
        }
        return new Reply(code, List.copyOf(lines));
      }
    }
  }

  private String readLine() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        if (previous == '\r' && b == '\n') {
          byte[] bytes = line.toByteArray();
          return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
        }
        line.write(b);
        previous = b;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no reply within the read timeout; got so far: " + line.toString(StandardCharsets.UTF_8),
          e);
    } catch (IOException e) {
      return null; // reset
    }
  }

  /** Reads everything until the double closes (EOF or reset); fails when a read times out. */
  byte[] readToEnd() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        all.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the double did not close the connection within the read timeout; it sent: "
              + all.toString(StandardCharsets.UTF_8),
          e);
    } catch (IOException e) {
      // reset: what arrived is what there is
    }
    return all.toByteArray();
  }

  /** Reads on a thread of its own until the end; {@link Drain#join} gives what arrived. */
  Drain drain() {
    return new Drain(this);
  }

  /** Ends our side of the connection (FIN) but keeps reading. */
  void halfClose() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // already gone
    }
  }

  /** Closes the connection at once (the client goes away). */
  void abort() {
    close();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Everything the double sends, read on a thread of its own. */
  static final class Drain {
    private final Thread thread;
    private volatile byte[] received;
    private volatile Throwable failure;
    private volatile long endedAt;

    private Drain(WireClient client) {
      thread =
          new Thread(
              () -> {
                try {
                  received = client.readToEnd();
                } catch (Throwable e) {
                  failure = e;
                }
                endedAt = System.nanoTime();
              },
              "wire-client-drain");
      thread.setDaemon(true);
      thread.start();
    }

    /** Waits for the end (at most {@code millis}); returns what arrived. */
    byte[] join(long millis) {
      try {
        thread.join(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (thread.isAlive()) {
        throw new AssertionError("the connection did not end within " + millis + " ms");
      }
      if (failure != null) {
        throw new AssertionError("reading failed", failure);
      }
      return received;
    }

    /** When the connection ended, on the {@link System#nanoTime()} clock. */
    long endedAt() {
      return endedAt;
    }
  }
}
