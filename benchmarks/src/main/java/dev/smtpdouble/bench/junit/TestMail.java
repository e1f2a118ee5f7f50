package dev.smtpdouble.bench.junit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * What each JUnit-overhead test sends, and the plain client it sends it with (the same for every
 * target): one 1 KiB message, lock-step.
 */
public final class TestMail {
  /** The message data as the server should keep it. */
  public static final byte[] DATA = build();

  /** The data and the end-of-data line, written at once (as the other scenarios' client does). */
  private static final byte[] WIRE = withDot(DATA);

  private TestMail() {}

  private static byte[] build() {
    StringBuilder text = new StringBuilder();
    text.append("From: sender@bench.test\r\nTo: recipient@bench.test\r\nSubject: one test, one message\r\n\r\n");
    while (text.length() < 1000) {
      text.append("The quick brown fox jumps over the lazy dog, again and again and again.\r\n");
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends {@link #DATA} in one session.
   *
   * @param host the server's host
   * @param port the server's port
   * @throws IOException when the session fails or a reply is not the expected one
   */
  public static void send(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress(host, port), 10_000);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      expect(in, 220);
      command(out, in, "EHLO bench.client\r\n", 250);
      command(out, in, "MAIL FROM:<sender@bench.test>\r\n", 250);
      command(out, in, "RCPT TO:<recipient@bench.test>\r\n", 250);
      command(out, in, "DATA\r\n", 354);
      command(out, in, WIRE, 250);
      command(out, in, "QUIT\r\n", 221);
    }
  }

  private static byte[] withDot(byte[] data) {
    byte[] wire = java.util.Arrays.copyOf(data, data.length + 3);
    wire[data.length] = '.';
    wire[data.length + 1] = '\r';
    wire[data.length + 2] = '\n';
    return wire;
  }

  private static void command(OutputStream out, InputStream in, String line, int code) throws IOException {
    command(out, in, line.getBytes(StandardCharsets.US_ASCII), code);
  }

  private static void command(OutputStream out, InputStream in, byte[] bytes, int code) throws IOException {
    out.write(bytes);
    expect(in, code);
  }

  private static void expect(InputStream in, int code) throws IOException {
    while (true) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        line.write(b);
      }
      String text = line.toString(StandardCharsets.ISO_8859_1);
      if (b < 0 || text.length() < 3 || !text.startsWith(Integer.toString(code))) {
        throw new IOException("expected " + code + " but got: " + text);
      }
      if (text.length() == 3 || text.charAt(3) != '-') {
        return;
      }
    }
  }
}
