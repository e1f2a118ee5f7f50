package dev.smtpdouble.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal, hand-written SMTP responder: one thread per connection (platform threads, or virtual
 * ones for the {@code minimal-virtual} target on Java 21 and later), blocking sockets,
 * input read in 64 KiB blocks and scanned in place, replies buffered and written just before the
 * session blocks for input. It answers greeting, EHLO/HELO, MAIL, RCPT, DATA (finding CRLF.CRLF
 * across block boundaries, counting the data after dot-unstuffing), RSET, NOOP and QUIT, keeps the
 * MAIL/RCPT/DATA order, and stores nothing: it only counts messages and data bytes.
 *
 * <p>It is the yardstick: what a blocking Java server does on loopback when it does nothing else.
 * It makes the same promises about threads as smtp-double: {@link #close()} stops accepting,
 * closes every open connection and joins every thread it started. The listen backlog is 1024, as
 * in smtp-double.
 */
final class MinimalResponder implements AutoCloseable {
  private static final int BACKLOG = 1024;
  private static final byte[] GREETING = ascii("220 minimal ESMTP ready\r\n");
  private static final byte[] EHLO =
      ascii("250-minimal\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 0\r\n");
  private static final byte[] OK = ascii("250 2.0.0 OK\r\n");
  private static final byte[] OK_MAIL = ascii("250 2.1.0 OK\r\n");
  private static final byte[] OK_RCPT = ascii("250 2.1.5 OK\r\n");
  private static final byte[] START_DATA = ascii("354 End data with <CR><LF>.<CR><LF>\r\n");
  private static final byte[] QUEUED = ascii("250 2.0.0 Queued\r\n");
  private static final byte[] BYE = ascii("221 2.0.0 Bye\r\n");
  private static final byte[] BAD_SEQUENCE = ascii("503 5.5.1 Bad sequence of commands\r\n");
  private static final byte[] UNKNOWN = ascii("500 5.5.2 Command not recognized\r\n");
  private static final byte[] TOO_LONG = ascii("500 5.5.6 Line too long\r\n");

  private final ServerSocket serverSocket;
  private final Thread acceptor;
  private final ThreadFactory sessions;
  private final Object lock = new Object();
  private final Set<Socket> sockets = new HashSet<>();
  private final Set<Thread> threads = new HashSet<>();
  private final LongAdder messages = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private volatile boolean closing;

  private MinimalResponder(ServerSocket serverSocket, ThreadFactory sessions) {
    this.serverSocket = serverSocket;
    this.sessions = sessions;
    this.acceptor = new Thread(this::accept, "minimal-" + serverSocket.getLocalPort() + "-acceptor");
    this.acceptor.setDaemon(true);
  }

  /**
   * Binds 127.0.0.1 on a free port and starts accepting.
   *
   * @param virtualThreads run each session on a virtual thread (Java 21 and later), as smtp-double
   *     does there, rather than on a platform thread
   * @return the running responder
   * @throws IOException when it cannot bind
   * @throws UnsupportedOperationException when virtual threads are asked for and the JVM has none
   */
  static MinimalResponder start(boolean virtualThreads) throws IOException {
    ThreadFactory sessions = virtualThreads ? virtualThreads() : MinimalResponder::platformThread;
    ServerSocket serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), BACKLOG);
    MinimalResponder responder = new MinimalResponder(serverSocket, sessions);
    responder.acceptor.start();
    return responder;
  }

  private static Thread platformThread(Runnable session) {
    Thread thread = new Thread(session, "minimal-session");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * {@code Thread.ofVirtual().name("minimal-session").factory()}, reached by reflection: the module
   * compiles for Java 17.
   */
  private static ThreadFactory virtualThreads() {
    try {
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      builder = builderType.getMethod("name", String.class).invoke(builder, "minimal-session");
      return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException(
          "minimal-virtual needs virtual threads (Java 21 or later); this is Java "
              + Runtime.version().feature(),
          e);
    }
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  long messages() {
    return messages.sum();
  }

  long bytes() {
    return bytes.sum();
  }

  void clear() {
    messages.reset();
    bytes.reset();
  }

  private void accept() {
    while (!closing) {
      Socket socket;
      try {
        socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
      } catch (IOException e) {
        if (closing) {
          return;
        }
        continue;
      }
      Thread thread = sessions.newThread(() -> serve(socket));
      synchronized (lock) {
        if (closing) {
          closeQuietly(socket);
          return;
        }
        sockets.add(socket);
        threads.add(thread);
      }
      thread.start();
    }
  }

  private void serve(Socket socket) {
    try {
      new Conversation(socket.getInputStream(), socket.getOutputStream()).run();
    } catch (IOException e) {
      // the client went away, or close() closed the socket
    } finally {
      closeQuietly(socket);
      synchronized (lock) {
        sockets.remove(socket);
        threads.remove(Thread.currentThread());
      }
    }
  }

  /** One session's state and buffers. */
  private final class Conversation {
    private static final int MAX_LINE = 1024;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private final byte[] reply = new byte[4096];
    private int pending;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean lineTooLong;
    private boolean mail;
    private boolean rcpt;

    Conversation(InputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    void run() throws IOException {
      send(GREETING);
      while (readLine()) {
        if (lineTooLong) {
          send(TOO_LONG);
          continue;
        }
        switch (verb()) {
          case "EHLO" -> {
            mail = rcpt = false;
            send(EHLO);
          }
          case "HELO", "RSET" -> {
            mail = rcpt = false;
            send(OK);
          }
          case "NOOP" -> send(OK);
          case "MAIL" -> {
            mail = true;
            rcpt = false;
            send(OK_MAIL);
          }
          case "RCPT" -> {
            if (mail) {
              rcpt = true;
              send(OK_RCPT);
            } else {
              send(BAD_SEQUENCE);
            }
          }
          case "DATA" -> {
            if (!rcpt) {
              send(BAD_SEQUENCE);
              break;
            }
            send(START_DATA);
            long size = readData();
            if (size < 0) {
              return; // the connection ended inside the data
            }
            messages.increment();
            bytes.add(size);
            mail = rcpt = false;
            send(QUEUED);
          }
          case "QUIT" -> {
            send(BYE);
            flush();
            return;
          }
          default -> send(UNKNOWN);
        }
      }
    }

    private String verb() {
      int n = 0;
      while (n < lineLength && n < 4 && line[n] != ' ') {
        n++;
      }
      char[] chars = new char[n];
      for (int i = 0; i < n; i++) {
        chars[i] = (char) (line[i] & 0xDF); // upper case for letters
      }
      return new String(chars);
    }

    private void send(byte[] bytes) throws IOException {
      if (pending + bytes.length > reply.length) {
        flush();
      }
      System.arraycopy(bytes, 0, reply, pending, bytes.length);
      pending += bytes.length;
    }

    private void flush() throws IOException {
      if (pending > 0) {
        out.write(reply, 0, pending);
        pending = 0;
      }
    }

    /** Reads more input, flushing the replies first: the client may be waiting for them. */
    private boolean fill() throws IOException {
      flush();
      if (pos == limit) {
        pos = 0;
        limit = 0;
      } else if (limit == buf.length) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n <= 0) {
        return false;
      }
      limit += n;
      return true;
    }

    /** One command line without its CRLF into {@link #line}; false at end of input. */
    private boolean readLine() throws IOException {
      lineLength = 0;
      lineTooLong = false;
      while (true) {
        if (pos == limit && !fill()) {
          return false;
        }
        int start = pos;
        int i = start;
        while (i < limit && buf[i] != '\n') {
          i++;
        }
        int n = i - start;
        if (lineLength + n > MAX_LINE) {
          lineTooLong = true;
          n = Math.max(0, MAX_LINE - lineLength);
        }
        System.arraycopy(buf, start, line, lineLength, n);
        lineLength += n;
        if (i < limit) {
          pos = i + 1;
          if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
          }
          return true;
        }
        pos = limit;
      }
    }

    /**
     * Skips the message data up to and including CRLF.CRLF and returns its size after
     * dot-unstuffing (the CRLF before the final dot counted, the dot line not), or -1 when the
     * input ended first.
     */
    private long readData() throws IOException {
      long size = 0;
      boolean atLineStart = true;
      boolean lastWasCr = false;
      while (true) {
        if (atLineStart) {
          while (limit - pos < 3) {
            if (!fill()) {
              return -1;
            }
          }
          if (buf[pos] == '.') {
            if (buf[pos + 1] == '\r' && buf[pos + 2] == '\n') {
              pos += 3;
              return size;
            }
            pos++; // a stuffed period: not part of the data
          }
          atLineStart = false;
          lastWasCr = false;
        }
        if (pos == limit && !fill()) {
          return -1;
        }
        int i = pos;
        int lim = limit;
        byte[] b = buf;
        while (i < lim && b[i] != '\n') {
          i++;
        }
        if (i == lim) {
          if (lim > pos) {
            lastWasCr = b[lim - 1] == '\r';
          }
          size += lim - pos;
          pos = lim;
          continue;
        }
        // a line ends at CRLF; a bare LF does not start a new line (so no end marker after it)
        atLineStart = i > pos ? b[i - 1] == '\r' : lastWasCr;
        lastWasCr = false;
        size += i + 1 - pos;
        pos = i + 1;
      }
    }
  }

  /** Stops accepting, closes every connection and joins every thread (5 s at most). */
  @Override
  public void close() {
    closing = true;
    closeQuietly(serverSocket);
    long deadline = System.nanoTime() + 5_000_000_000L;
    join(acceptor, deadline);
    List<Socket> open;
    List<Thread> running;
    synchronized (lock) {
      open = new ArrayList<>(sockets);
      running = new ArrayList<>(threads);
    }
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    for (Thread thread : running) {
      join(thread, deadline);
    }
  }

  private static void join(Thread thread, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      thread.join(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
