package dev.smtpdouble.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The wire-level SMTP client of the tests: sends exact bytes and reads exact replies, in the
 * manner of SubEthaSMTP's test client. Every read has a timeout, so a test never hangs on a
 * silent server. It is used in two modes:
 *
 * <ul>
 *   <li><b>strict</b> ({@link #send}, {@link #expect}, {@link #readReply}, {@link #command}): any
 *       surprise, a closed connection included, fails the test;
 *   <li><b>hostile</b> ({@link #write}, {@link #writeSplit}, {@link #nextReply}, {@link
 *       #readToEnd}, {@link #drain}, {@link #halfClose}, {@link #abort}): writes cut into random
 *       pieces with random pauses, and a connection the double has closed is reported, not thrown;
 *       only a read that passes the timeout fails (the double hung).
 * </ul>
 *
 * <pre>{@code
 * try (RawClient client = RawClient.connect(smtp)) {
 *   client.expect(GREETING);
 *   client.send("HELO client.test").expect(HELO_OK);
 * }
 * }</pre>
 */
public final class RawClient implements AutoCloseable {
  /** One reply: its code and lines without CRLF. */
  public record Reply(int code, List<String> lines) {
    /** The last line. */
    public String last() {
      return lines.get(lines.size() - 1);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private long written;
  private boolean writeFailed;
  private String greeting;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to a double with a 5 s read timeout. */
  public static RawClient connect(SmtpDouble smtp) {
    return connect(smtp.host(), smtp.port(), 5000);
  }

  /** Connects with the given read timeout in milliseconds. */
  public static RawClient connect(String host, int port, int timeoutMillis) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), Math.max(timeoutMillis, 5000));
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      return new RawClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects to a double with a 10 s read timeout and reads the greeting, whatever it is. */
  public static RawClient greeted(SmtpDouble smtp) {
    return greeted(smtp.host(), smtp.port());
  }

  /** Connects with a 10 s read timeout and reads the greeting, whatever it is. */
  public static RawClient greeted(String host, int port) {
    RawClient client = connect(host, port, 10_000);
    client.greeting = client.replyText();
    return client;
  }

  /** Sends one message in a well-behaved session: EHLO, MAIL, RCPT, DATA, the message, QUIT. */
  public static void sendMessage(
      SmtpDouble smtp, String from, String to, String subject, String body) {
    try (RawClient client = greeted(smtp)) {
      client.command("EHLO client.test");
      client.command("MAIL FROM:<" + from + ">");
      client.command("RCPT TO:<" + to + ">");
      client.command("DATA");
      client.data("From: " + from, "To: " + to, "Subject: " + subject, "", body);
      client.command("QUIT");
    }
  }

  /** The socket, for tests that need its options. */
  public Socket socket() {
    return socket;
  }

  /** The greeting {@link #greeted} read, such as {@code "220 localhost ESMTP"}. */
  public String greeting() {
    return greeting;
  }

  // ------------------------------------------------------------------ strict

  /** Sends a line and its CRLF. */
  public RawClient send(String line) {
    return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes exactly as given. */
  public RawClient sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      written += bytes.length;
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends text exactly as given (no CRLF added), as UTF-8. */
  public RawClient sendRaw(String text) {
    return sendRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a command line (CRLF added) and returns the reply, its lines joined with "\n". */
  public String command(String line) {
    send(line);
    return replyText();
  }

  /** Sends message lines, dot-stuffed, then the terminating dot; returns the reply text. */
  public String data(String... lines) {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      for (String part : line.split("\r?\n", -1)) {
        text.append(part.startsWith(".") ? "." + part : part).append("\r\n");
      }
    }
    text.append(".\r\n");
    sendRaw(text.toString());
    return replyText();
  }

  /** Reads one line (without its CRLF) and asserts it equals {@code expected}. */
  public RawClient expect(String expected) {
    assertThat(readLine()).isEqualTo(expected);
    return this;
  }

  /** Reads a whole (possibly multi-line) reply and asserts its lines, without CRLF, in order. */
  public RawClient expectReply(String... lines) {
    assertThat(readReply()).containsExactly(lines);
    return this;
  }

  /** Reads one line and asserts it starts with {@code prefix}, e.g. a reply code. */
  public RawClient expectStart(String prefix) {
    assertThat(readLine()).startsWith(prefix);
    return this;
  }

  /** Reads a whole (possibly multi-line) reply and returns its lines as sent, without CRLF. */
  public List<String> readReply() {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = readLine();
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return lines;
      }
    }
  }

  /** Reads a whole reply and returns its lines joined with "\n". */
  public String replyText() {
    return String.join("\n", readReply());
  }

  /** Reads a whole reply and returns its code. */
  public int readCode() {
    List<String> lines = readReply();
    return Integer.parseInt(lines.get(lines.size() - 1).substring(0, 3));
  }

  /** Reads one line ending in CRLF, without the CRLF; fails on EOF or timeout. */
  public String readLine() {
    try {
      String line = nextLine();
      if (line == null) {
        throw new AssertionError(
            "connection closed while reading a line; got so far: "
                + pending.toString(StandardCharsets.UTF_8));
      }
      return line;
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no complete line within the timeout; got so far: "
              + pending.toString(StandardCharsets.UTF_8),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads exactly {@code n} bytes, or fewer if the connection ends or the timeout passes. */
  public byte[] readBytes(int n) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      while (bytes.size() < n) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        bytes.write(b);
      }
    } catch (SocketTimeoutException e) {
      // return what arrived
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** How the connection ends from here: "EOF" for an orderly close, "RESET", or "OPEN". */
  public String awaitEnd(int timeoutMillis) {
    try {
      socket.setSoTimeout(timeoutMillis);
      while (true) {
        int b = in.read();
        if (b < 0) {
          return "EOF";
        }
      }
    } catch (SocketTimeoutException e) {
      return "OPEN";
    } catch (SocketException e) {
      return "RESET";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** EHLO and its whole reply. */
  public List<String> ehlo(String name) {
    send("EHLO " + name);
    return readReply();
  }

  // ------------------------------------------------------------------ hostile

  /** Octets written so far. */
  public long written() {
    return written;
  }

  /** Whether a write failed because the double had closed the connection. */
  public boolean writeFailed() {
    return writeFailed;
  }

  /** Writes the bytes in one write; false when the connection was gone. */
  public boolean write(byte[] bytes) {
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
   * short pause before each ({@link #pause}); false when the connection was gone.
   */
  public boolean writeSplit(byte[] bytes, Random random, int maxWrites) {
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
  public static void pause(Random random) {
    int kind = random.nextInt(100);
    if (kind < 75) {
      return;
    }
    try {
      Thread.sleep(kind < 97 ? 1 + random.nextInt(5) : 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads one whole reply, possibly multi-line; null when the connection ended first (EOF or
   * reset). A read that passes the timeout fails the test: the double hung.
   */
  public Reply nextReply() {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line;
      try {
        line = nextLine();
      } catch (SocketTimeoutException e) {
        throw new AssertionError(
            "no reply within the read timeout; got so far: "
                + pending.toString(StandardCharsets.UTF_8),
            e);
      } catch (IOException e) {
        return null; // reset
      }
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

  /** Reads everything until the double closes (EOF or reset); fails when a read times out. */
  public byte[] readToEnd() {
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
  public Drain drain() {
    return new Drain(this);
  }

  /** Ends our side of the connection (FIN) but keeps reading. */
  public void halfClose() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // already gone
    }
  }

  /** Closes the connection at once (the client goes away). */
  public void abort() {
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

  /** One line ending in CRLF, without it; null at the end of the input. */
  private String nextLine() throws IOException {
    pending.reset();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = pending.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      pending.write(b);
      previous = b;
    }
  }

  /** Everything the double sends, read on a thread of its own. */
  public static final class Drain {
    private final Thread thread;
    private volatile byte[] received;
    private volatile Throwable failure;
    private volatile long endedAt;

    private Drain(RawClient client) {
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
              "raw-client-drain");
      thread.setDaemon(true);
      thread.start();
    }

    /** Waits for the end (at most {@code millis}); returns what arrived. */
    public byte[] join(long millis) {
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
    public long endedAt() {
      return endedAt;
    }
  }
}
