package dev.smtpdouble.internal.server;

import dev.smtpdouble.Action;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.protocol.Sent;
import dev.smtpdouble.internal.protocol.Session;
import dev.smtpdouble.internal.protocol.SessionContext;
import dev.smtpdouble.internal.protocol.SessionEnd;
import dev.smtpdouble.internal.protocol.SmtpInput;
import dev.smtpdouble.internal.protocol.Wire;
import dev.smtpdouble.internal.tls.TlsSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One accepted connection: it owns the socket, its streams and timeouts, the TLS handshake,
 * closing, and every fault a rule does to the socket. It runs a {@link Session} over itself (the
 * session sees it as a {@link Wire}) and decides how the session ended from what the socket did.
 */
public final class Connection implements Runnable, Wire {
  /** A fatal TLS alert record: handshake_failure (40), as a server that gives up sends it. */
  private static final byte[] HANDSHAKE_FAILURE_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

  /** What a connection needs from the double beyond what its session needs. */
  public interface Host extends SessionContext {
    /**
     * The TLS material, when TLS is on.
     *
     * @return the material, or null without TLS
     */
    TlsSupport tls();

    /**
     * Opens the transcript of a new session.
     *
     * @param number the session number
     * @param remote the client's address
     * @return the log
     */
    SessionLog openLog(int number, InetSocketAddress remote);

    /**
     * Whether the double is closing: I/O errors then mean "closed by the double".
     *
     * @return true once close() began
     */
    boolean closing();
  }

  private final Host host;
  private final int number;
  private final boolean overLimit;
  private final Duration idleTimeout;
  private volatile Socket socket;
  private volatile SessionLog log;
  private volatile SmtpOutput output;
  private InputStream in;
  private SmtpInput input;
  private int readTimeout = -1;
  private volatile boolean writeTimedOut;
  private volatile long trickle;
  /** A stalled session says nothing, not even when the double closes. */
  private volatile boolean stalled;

  /**
   * A connection the server accepted.
   *
   * @param socket the socket
   * @param host the double
   * @param number the session's number
   * @param overLimit true when the session limit was reached: the session only answers 421
   */
  public Connection(Socket socket, Host host, int number, boolean overLimit) {
    this.socket = socket;
    this.host = host;
    this.number = number;
    this.overLimit = overLimit;
    this.idleTimeout = host.settings().idleTimeout();
  }

  @Override
  public void run() {
    Ending ending = Ending.CONNECTION_LOST;
    Session session = null;
    try {
      log = host.openLog(number, (InetSocketAddress) socket.getRemoteSocketAddress());
      openStreams();
      session = new Session(this, host, log, number);
      ending = overLimit ? session.refuseOverLimit() : session.converse();
    } catch (SessionEnd end) {
      ending = end.ending();
    } catch (InterruptedIOException e) {
      ending = Ending.IDLE_TIMEOUT;
      if (session != null) {
        session.timedOut();
      }
    } catch (IOException e) {
      ending =
          writeTimedOut
              ? Ending.WRITE_TIMEOUT
              : host.closing() ? Ending.DOUBLE_CLOSED : Ending.CONNECTION_LOST;
      if (log != null && ending == Ending.CONNECTION_LOST) {
        log.event("connection lost: " + e.getMessage());
      }
    } catch (RuntimeException e) {
      // never let a bug in the double kill the thread silently; the transcript says what happened
      ending = host.closing() ? Ending.DOUBLE_CLOSED : Ending.CONNECTION_LOST;
      if (log != null) {
        log.event("internal error in smtp-double: " + e);
      }
    } finally {
      if (session != null) {
        session.ended();
      }
      closeQuietly();
      if (log != null) {
        log.end(ending);
      }
    }
  }

  private void openStreams() throws IOException {
    OutputStream out = new TrickleStream(socket.getOutputStream());
    in = socket.getInputStream();
    readTimeout = -1;
    output = new SmtpOutput(out, idleTimeout.toNanos());
    input = new SmtpInput(this::read, this::flush);
  }

  /** Reads from the socket, waiting at most the given time. */
  private int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException {
    if (timeoutMillis != readTimeout) {
      socket.setSoTimeout(timeoutMillis);
      readTimeout = timeoutMillis;
    }
    return in.read(buffer, offset, length);
  }

  /**
   * The watchdog's check: a reply blocked longer than the idle timeout means the client stopped
   * reading; the connection is closed so the session's thread is freed.
   *
   * @param now {@code System.nanoTime()}
   */
  void checkStuck(long now) {
    SmtpOutput out = output;
    if (out != null && out.stuck(now) && !writeTimedOut) {
      writeTimedOut = true;
      log.event("write timeout: the client stopped reading the replies; closing");
      try {
        socket.close();
      } catch (IOException e) {
        // closed anyway
      }
    }
  }

  @Override
  public String clientIp() {
    InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    return remote.getAddress() == null
        ? remote.getHostString()
        : remote.getAddress().getHostAddress();
  }

  @Override
  public SmtpInput input() {
    return input;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    output.write(bytes, offset, length);
  }

  @Override
  public void flush() throws IOException {
    output.flush();
    trickle = 0;
  }

  /**
   * The socket's output, slowed to {@link #trickle} bytes a second while a rule says so: pieces
   * of a tenth of a second's worth (one byte at least), a pause after each.
   */
  private final class TrickleStream extends OutputStream {
    private final OutputStream out;

    TrickleStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      long rate = trickle;
      if (rate == 0) {
        out.write(bytes, offset, length);
        return;
      }
      int piece = (int) Math.max(1, Math.min(length, rate / 10));
      for (int at = 0; at < length; at += piece) {
        int n = Math.min(piece, length - at);
        out.write(bytes, offset + at, n);
        out.flush();
        try {
          Thread.sleep(Math.max(1, n * 1000L / rate));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("closed while trickling");
        }
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }

  // ------------------------------------------------------------------ actions

  /**
   * Carries out one action: the one place that knows what each kind of action does to the
   * connection. The compiler checks that every kind is handled.
   */
  @Override
  public Sent carryOut(Action action, Speaker session) throws IOException {
    return switch (action.kind()) {
      case REPLY -> session.reply((Action.Respond) action);
      case SEND -> session.sendRaw(((Action.Send) action).bytes());
      case DELAY -> {
        delay(((Action.Delay) action).duration(), session);
        yield null;
      }
      case DISCONNECT -> {
        session.publishPending(); // a fault replaced the reply: the message is recorded with none
        session.event("disconnected by script");
        close(true); // what was sent and the close reach the client together
        throw new SessionEnd(Ending.SCRIPT_DISCONNECT);
      }
      case RESET -> {
        beforeFault(session);
        session.event("reset by script");
        socket.setSoLinger(true, 0);
        socket.close();
        throw new SessionEnd(Ending.SCRIPT_RESET);
      }
      case STALL -> {
        beforeFault(session);
        session.event("stalled by script: no reply until the client or the double closes");
        stalled = true;
        boolean quitSent;
        try {
          quitSent = session.hearOut();
        } catch (IOException e) {
          throw new SessionEnd(host.closing() ? Ending.DOUBLE_CLOSED : Ending.CONNECTION_LOST);
        }
        // the client's QUIT went unanswered, but it was sent: the ending says so
        throw new SessionEnd(quitSent ? Ending.QUIT : Ending.CLIENT_CLOSED);
      }
      // carried out by the handshake itself (startTls), which the session asks for
      case TLS_FAIL -> null;
      case TRICKLE -> {
        trickle = ((Action.Trickle) action).bytesPerSecond();
        session.event("trickling at " + trickle + " bytes a second by script");
        yield null;
      }
    };
  }

  /**
   * Before a fault: a message waiting for its end-of-data reply is recorded without one, then the
   * replies so far leave.
   */
  private void beforeFault(Speaker session) throws IOException {
    session.publishPending();
    output.flush();
  }

  private void delay(Duration duration, Speaker session) throws IOException {
    output.flush();
    session.event("delayed " + duration.toMillis() + " ms by script");
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SessionEnd(Ending.DOUBLE_CLOSED);
    }
  }

  // ------------------------------------------------------------------ TLS

  @Override
  public TlsState startTls(boolean fail) throws IOException {
    output.flush();
    if (fail) {
      failHandshake();
    }
    output = null; // until the handshake is done, the double has nothing to say in clear
    SSLSocket ssl =
        (SSLSocket)
            host.tls()
                .serverContext()
                .getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      log.event("TLS handshake failed: " + e.getMessage());
      throw new SessionEnd(Ending.TLS_FAILED);
    }
    socket = ssl;
    SSLSession session = ssl.getSession();
    openStreams();
    return new TlsState(session.getProtocol(), session.getCipherSuite());
  }

  /** Waits for the client's hello, answers with a fatal handshake_failure alert and closes. */
  private void failHandshake() throws IOException {
    log.event("TLS handshake failed by script: handshake_failure alert sent");
    try {
      socket.setSoTimeout(5000);
      byte[] hello = new byte[512];
      if (socket.getInputStream().read(hello) > 0) {
        socket.getOutputStream().write(HANDSHAKE_FAILURE_ALERT);
        socket.getOutputStream().flush();
      }
    } catch (SocketTimeoutException e) {
      // the client never started the handshake; close all the same
    }
    close(false);
    throw new SessionEnd(Ending.TLS_FAILED);
  }

  // ------------------------------------------------------------------ closing

  @Override
  public void close(boolean atOnce) throws IOException {
    output.flush();
    if (!atOnce) {
      try {
        socket.shutdownOutput();
      } catch (IOException e) {
        // already closed by the peer
      }
    }
    socket.close();
  }

  /**
   * The double is closing: the client hears {@code 421 4.3.2 ... shutting down} (RFC 5321 §3.8)
   * before the server closes the connection, whatever the session was doing, instead of what the
   * session had queued; a message whose data was still arriving is not recorded. Does not block.
   */
  void shuttingDown() {
    SmtpOutput out = output; // null during a TLS handshake: nothing can be said in clear then
    SessionLog sessionLog = log;
    if (out == null || sessionLog == null || sessionLog.ended() || stalled) {
      return;
    }
    byte[] reply = host.replies().shuttingDown();
    try {
      if (out.sendLast(reply)) {
        sessionLog.server(reply, 0, reply.length - 2);
      }
    } catch (IOException e) {
      // the client is gone already
    }
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
