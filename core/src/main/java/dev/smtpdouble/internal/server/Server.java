package dev.smtpdouble.internal.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The listening socket and the sessions' threads: it accepts connections, gives each one a thread
 * (a new virtual one where the JVM has them, else a platform thread kept for the next session; see
 * {@link SessionThreads}), and on close stops accepting, closes every open connection and joins
 * every thread it started, within a bound. It owns sockets and threads and nothing else.
 */
public final class Server {

  private static final int BACKLOG = 1024;
  private static final long WATCH_INTERVAL_MILLIS = 100;
  private static final long LIMIT_GRACE_MILLIS = 250;

  private final ServerSocket serverSocket;
  private final Connection.Host host;
  private final SessionThreads sessionThreads;
  private final Thread acceptor;
  private final Object lock = new Object();
  private final Set<Socket> sockets = new HashSet<>();
  private final Set<Connection> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private long lastWatch = System.nanoTime();
  private final Semaphore slots;
  private final AcceptFailures acceptFailures;
  private final AtomicInteger numbers = new AtomicInteger();
  private volatile boolean closing;
  private boolean closed;

  private Server(
      ServerSocket serverSocket, Connection.Host host, int maxSessions, Consumer<String> report) {
    this.serverSocket = serverSocket;
    this.host = host;
    this.slots = new Semaphore(maxSessions);
    int port = serverSocket.getLocalPort();
    this.acceptFailures =
        new AcceptFailures(
            "smtp-double on " + serverSocket.getInetAddress().getHostAddress() + ":" + port, report);
    this.sessionThreads = new SessionThreads("smtp-double-" + port + "-session-");
    this.acceptor = new Thread(this::accept, "smtp-double-" + port + "-acceptor");
    this.acceptor.setDaemon(true);

  }

  /**
   * Binds and starts accepting. When this returns, connections are queued and will be greeted.
   *
   * @param address the address to bind
   * @param port the port, 0 for a free one
   * @param maxSessions how many sessions may be open at once
   * @param host the double the connections serve
   * @return the running server
   * @throws IOException when the address cannot be bound
   */
  public static Server start(InetAddress address, int port, int maxSessions, Connection.Host host)
      throws IOException {
    ServerSocket serverSocket = new ServerSocket();
    try {
      serverSocket.setReuseAddress(true);
      serverSocket.bind(new InetSocketAddress(address, port), BACKLOG);
    } catch (IOException | RuntimeException e) {
      serverSocket.close();
      throw e;
    }
    return start(serverSocket, maxSessions, host, System.err::println);
  }

  /**
   * Starts accepting on a bound server socket; accept failures are reported to {@code report}.
   */
  static Server start(
      ServerSocket bound, int maxSessions, Connection.Host host, Consumer<String> report)
      throws IOException {
    try {
      // accept wakes up this often to look for stuck writers: no thread of its own needed
      bound.setSoTimeout((int) WATCH_INTERVAL_MILLIS);
    } catch (IOException | RuntimeException e) {
      bound.close();
      throw e;
    }
    Server server = new Server(bound, host, maxSessions, report);
    server.acceptor.start();
    return server;
  }

  /**
   * The port it listens on.
   *
   * @return the port
   */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * Whether {@link #close} has begun.
   *
   * @return true once closing
   */
  public boolean closing() {
    return closing;
  }

  private void accept() {
    while (!closing) {
      Socket socket;
      try {
        watchIfDue();
        socket = serverSocket.accept();
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        if (closing) {
          return;
        }
        // e.g. out of file descriptors: said once per burst, and no spinning
        pause(acceptFailures.failed(e));
        continue;
      }
      acceptFailures.accepted();
      try {
        socket.setTcpNoDelay(true);
      } catch (IOException e) {
        // the connection is already gone; the session will notice
      }
      int number = numbers.incrementAndGet();
      synchronized (lock) {
        if (closing) {
          closeQuietly(socket);
          return;
        }
        sockets.add(socket);
      }
      sessionThreads.run(() -> runSession(socket, number));
    }
  }

  private void runSession(Socket socket, int number) {
    boolean admitted = admit();
    Connection connection = new Connection(socket, host, number, !admitted);
    watched.add(connection);
    try {
      connection.run();
    } finally {
      watched.remove(connection);
      closeQuietly(socket);
      if (admitted) {
        slots.release();
      }
      synchronized (lock) {
        sockets.remove(socket);
      }
    }
  }

  /**
   * Stops accepting, closes every open connection, and waits for every thread to finish. Idempotent;
   * returns within about {@code bound}.
   *
   * @param bound how long to wait for threads in all
   * @return true when every thread finished in time
   */
  public boolean close(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    List<Socket> openSockets;
    List<Thread> running;
    synchronized (lock) {
      if (closed) {
        return true;
      }
      closed = true;
      closing = true;
    }
    closeQuietly(serverSocket);
    acceptor.interrupt(); // out of a back-off pause
    join(acceptor, deadline);
    synchronized (lock) {
      openSockets = new ArrayList<>(sockets);
    }
    running = sessionThreads.close();
    for (Connection connection : watched) {
      connection.shuttingDown();
    }
    for (Socket socket : openSockets) {
      closeQuietly(socket);
    }
    for (Thread thread : running) {
      thread.interrupt();
    }
    boolean all = !acceptor.isAlive();
    for (Thread thread : running) {
      all &= join(thread, deadline);
    }
    return all;
  }

  /** About every 100 ms, on the acceptor's thread: frees sessions whose client stopped reading. */
  private void watchIfDue() {
    long now = System.nanoTime();
    if (now - lastWatch >= WATCH_INTERVAL_MILLIS * 1_000_000 && !watched.isEmpty()) {
      lastWatch = now;
      for (Connection session : watched) {
        session.checkStuck(now);
      }
    }
  }

  /**
   * Takes a session slot, waiting a little when all are taken: a client that has just ended its
   * session (it read the 221) may connect again before that session's thread has given its slot
   * back, and must not be refused for it.
   */
  private boolean admit() {
    try {
      return slots.tryAcquire(LIMIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing: the session will find its socket closed
      return false;
    }
  }

  private static boolean join(Thread thread, long deadline) {
    long left = deadline - System.nanoTime();
    try {
      if (left > 0) {
        thread.join(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Failed accepts in a row (out of file descriptors, for one): the first of a burst is reported,
   * and so is the end of the burst with its count; the pause after each doubles, from 10 ms up to
   * 1 s, so the acceptor neither spins nor goes silent.
   */
  static final class AcceptFailures {
    static final long FIRST_PAUSE_MILLIS = 10;
    static final long MAX_PAUSE_MILLIS = 1000;

    private final String where;
    private final Consumer<String> report;
    private int inARow;
    private long pause;

    AcceptFailures(String where, Consumer<String> report) {
      this.where = where;
      this.report = report;
    }

    /** Notes a failed accept; returns how long to pause before the next, in milliseconds. */
    long failed(IOException e) {
      if (inARow++ == 0) {
        pause = FIRST_PAUSE_MILLIS;
        report.accept(
            where
                + ": accepting a connection failed ("
                + e
                + "); retrying, pausing up to "
                + MAX_PAUSE_MILLIS
                + " ms between tries");
      } else {
        pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
      }
      return pause;
    }

    /** Notes a successful accept, which ends a burst of failures. */
    void accepted() {
      if (inARow > 0) {
        report.accept(where + ": accepting again after " + inARow + " failed accepts");
        inARow = 0;
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
