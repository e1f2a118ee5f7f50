package dev.smtpdouble.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
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

/**
 * A wire-level SMTP client for tests: sends exact bytes and reads exact replies, in the manner of
 * SubEthaSMTP's test client. Every read has a timeout, so a test never hangs on a silent server.
 *
 * <pre>{@code
 * try (RawClient client = RawClient.connect(smtp)) {
 *   client.expect("220 localhost ESMTP");
 *   client.send("HELO client.test").expect("250 localhost");
 * }
 * }</pre>
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
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
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      return new RawClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The socket, for tests that need its options. */
  public Socket socket() {
    return socket;
  }

  /** Sends a line and its CRLF. */
  public RawClient send(String line) {
    return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes exactly as given. */
  public RawClient sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends text exactly as given (no CRLF added), as UTF-8. */
  public RawClient sendRaw(String text) {
    return sendRaw(text.getBytes(StandardCharsets.UTF_8));
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

  /** Reads a whole reply and returns its code. */
  public int readCode() {
    List<String> lines = readReply();
    return Integer.parseInt(lines.get(lines.size() - 1).substring(0, 3));
  }

  /** Reads one line ending in CRLF, without the CRLF; fails on EOF or timeout. */
  public String readLine() {
    try {
      pending.reset();
      int previous = -1;
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError(
              "connection closed while reading a line; got so far: "
                  + pending.toString(StandardCharsets.UTF_8));
        }
        if (previous == '\r' && b == '\n') {
          byte[] bytes = pending.toByteArray();
          return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
        }
        pending.write(b);
        previous = b;
      }
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

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
