package dev.smtpdouble.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A lean blocking SMTP client for the scenarios: lock-step (no pipelining, as Jakarta Mail does
 * it), each command written in one call, replies read from an 8 KiB buffer. Every reply code is
 * checked; anything unexpected throws with the reply text.
 */
final class SmtpClient implements Closeable {
  static final byte[] EHLO = ascii("EHLO bench.client\r\n");
  static final byte[] MAIL = ascii("MAIL FROM:<sender@bench.test>\r\n");
  static final byte[] RCPT = ascii("RCPT TO:<recipient@bench.test>\r\n");
  static final byte[] DATA = ascii("DATA\r\n");
  static final byte[] QUIT = ascii("QUIT\r\n");

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int limit;
  private final StringBuilder lastReply = new StringBuilder();

  private SmtpClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects; does not read the greeting.
   *
   * @param host the host
   * @param port the port
   * @param timeoutMillis connect and read timeout
   * @return the client
   * @throws IOException when the connection fails
   */
  static SmtpClient connect(String host, int port, int timeoutMillis) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutMillis);
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return new SmtpClient(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Reads the greeting and says EHLO. */
  void greetAndEhlo() throws IOException {
    expect(220);
    command(EHLO, 250);
  }

  /**
   * Sends one message in lock-step: MAIL, RCPT, DATA, the data and its terminator.
   *
   * @param dataWithTerminator the data followed by {@code .CRLF}
   */
  void send(byte[] dataWithTerminator) throws IOException {
    command(MAIL, 250);
    command(RCPT, 250);
    command(DATA, 354);
    command(dataWithTerminator, 250);
  }

  /** QUIT, reads the 221. */
  void quit() throws IOException {
    command(QUIT, 221);
  }

  void command(byte[] bytes, int expectedCode) throws IOException {
    out.write(bytes);
    expect(expectedCode);
  }

  /**
   * Reads one reply (all its lines) and checks its code.
   *
   * @param expectedCode the code it must have
   * @return the code
   */
  int expect(int expectedCode) throws IOException {
    int code = readReply();
    if (code != expectedCode) {
      throw new IOException("expected " + expectedCode + " but the server answered: " + lastReply.toString().strip());
    }
    return code;
  }

  private int readReply() throws IOException {
    lastReply.setLength(0);
    while (true) {
      int start = lastReply.length();
      readLineInto(lastReply);
      int length = lastReply.length() - start;
      if (length < 4) {
        throw new IOException("malformed reply line: " + lastReply);
      }
      char separator = lastReply.charAt(start + 3);
      if (separator == ' ' || length == 4 && separator == '\n') {
        return Integer.parseInt(lastReply, start, start + 3, 10);
      }
      if (separator != '-') {
        throw new IOException("malformed reply line: " + lastReply);
      }
    }
  }

  private void readLineInto(StringBuilder target) throws IOException {
    while (true) {
      if (pos == limit) {
        pos = 0;
        limit = in.read(buf, 0, buf.length);
        if (limit <= 0) {
          limit = 0;
          throw new IOException("the server closed the connection; read so far: " + target);
        }
      }
      while (pos < limit) {
        byte b = buf[pos++];
        target.append((char) (b & 0xFF));
        if (b == '\n') {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
