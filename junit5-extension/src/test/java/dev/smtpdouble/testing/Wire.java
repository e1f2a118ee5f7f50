package dev.smtpdouble.testing;

import dev.smtpdouble.SmtpDouble;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain SMTP client for the tests: exact lines on the wire, one reply read per command, a read
 * timeout on every read so a test never hangs.
 *
 * <pre>{@code
 * Wire.send(smtp, "shop@example.test", "alice@example.test", "Welcome", "Hello Alice");
 * try (Wire wire = Wire.connect(smtp)) {
 *   wire.command("EHLO client.test");
 * }
 * }</pre>
 */
public final class Wire implements AutoCloseable {
  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  private final String greeting;

  private Wire(Socket socket) throws IOException {
    this.socket = socket;
    this.in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
    this.greeting = reply();
  }

  /** Connects and reads the greeting. */
  public static Wire connect(SmtpDouble smtp) {
    return connect(smtp.host(), smtp.port());
  }

  /** Connects and reads the greeting. */
  public static Wire connect(String host, int port) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(10_000);
      return new Wire(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one message in a well-behaved session: EHLO, MAIL, RCPT, DATA, the message, QUIT. */
  public static void send(SmtpDouble smtp, String from, String to, String subject, String body) {
    try (Wire wire = connect(smtp)) {
      wire.command("EHLO client.test");
      wire.command("MAIL FROM:<" + from + ">");
      wire.command("RCPT TO:<" + to + ">");
      wire.command("DATA");
      wire.data("From: " + from, "To: " + to, "Subject: " + subject, "", body);
      wire.command("QUIT");
    }
  }

  /** The greeting, such as {@code "220 localhost ESMTP"}. */
  public String greeting() {
    return greeting;
  }

  /** Sends a command line (CRLF added) and returns the reply, lines joined with "\n". */
  public String command(String line) {
    write(line + "\r\n");
    return reply();
  }

  /** Sends message lines, dot-stuffed, then the terminating dot; returns the reply. */
  public String data(String... lines) {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      for (String part : line.split("\r?\n", -1)) {
        text.append(part.startsWith(".") ? "." + part : part).append("\r\n");
      }
    }
    text.append(".\r\n");
    write(text.toString());
    return reply();
  }

  /** Writes raw text, with no line end added and no reply read. */
  public void write(String raw) {
    try {
      out.write(raw.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one reply, all its lines. */
  public String reply() {
    try {
      List<String> lines = new ArrayList<>();
      while (true) {
        String line = in.readLine();
        if (line == null) {
          throw new IOException("connection closed; read so far: " + lines);
        }
        lines.add(line);
        if (line.length() < 4 || line.charAt(3) != '-') {
          return String.join("\n", lines);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
