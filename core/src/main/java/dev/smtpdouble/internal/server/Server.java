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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening socket and the sessions' threads: it accepts connections, gives each one a thread
 * (virtual where the JVM has them), and on close stops accepting, closes every open connection and
 * joins every thread it started, within a bound. It owns sockets and threads and nothing else.
 */
public final class Server {

  /** Makes the work of one session. */
  public interface SessionFactory {
    /**
     * The session for an accepted connection.
     *
     * @param socket the connection
     * @param number the session's number, from 1
     * @param overLimit true when more sessions are open than allowed
     * @return the session's work
     */
    Runnable session(Socket socket, int number, boolean overLimit);
  }

  /** A session whose blocked writes the watchdog checks, and that is told when the server closes. */
  public interface Watched {
    /**
     * Frees the session when a write has been blocked past its deadline.
     *
     * @param now {@code System.nanoTime()}
     */
    void checkStuck(long now);

    /**
     * The server is closing: tell the client so (RFC 5321 §3.8), without blocking; the server
     * closes the connection right after.
     */
    void shuttingDown();
  }

  private static final int BACKLOG = 1024;
  private static final long WATCH_INTERVAL_MILLIS = 100;
  private static final long LIMIT_GRACE_MILLIS = 250;

  private final ServerSocket serverSocket;
  private final SessionFactory factory;
  private final ThreadFactory sessionThreads;
  private final Thread acceptor;
  private final Object lock = new Object();
  private final Set<Socket> sockets = new HashSet<>();
  private final Set<Thread> threads = new HashSet<>();
  private final Set<Watched> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private long lastWatch = System.nanoTime();
  private final Semaphore slots;
  private final AtomicInteger numbers = new AtomicInteger();
  private volatile boolean closing;
  private boolean closed;

  private Server(ServerSocket serverSocket, SessionFactory factory, int maxSessions) {
    this.serverSocket = serverSocket;
    this.factory = factory;
    this.slots = new Semaphore(maxSessions);
    int port = serverSocket.getLocalPort();
    this.sessionThreads = Threads.sessions("smtp-double-" + port + "-session-");
    this.acceptor = new Thread(this::accept, "smtp-double-" + port + "-acceptor");
    this.acceptor.setDaemon(true);

  }

  /**
   * Binds and starts accepting. When this returns, connections are queued and will be greeted.
   *
   * @param address the address to bind
   * @param port the port, 0 for a free one
   * @param maxSessions how many sessions may be open at once
   * @param factory makes each session
   * @return the running server
   * @throws IOException when the address cannot be bound
   */
  public static Server start(InetAddress address, int port, int maxSessions, SessionFactory factory)
      throws IOException {
    ServerSocket serverSocket = new ServerSocket();
    try {
      serverSocket.setReuseAddress(true);
      // accept wakes up this often to look for stuck writers: no thread of its own needed
      serverSocket.setSoTimeout((int) WATCH_INTERVAL_MILLIS);
      serverSocket.bind(new InetSocketAddress(address, port), BACKLOG);
    } catch (IOException | RuntimeException e) {
      serverSocket.close();
      throw e;
    }
    Server server = new Server(serverSocket, factory, maxSessions);
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
        pause(); // e.g. out of file descriptors: do not spin
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
      } catch (IOException e) {
        // the connection is already gone; the session will notice
      }
      int number = numbers.incrementAndGet();
      Thread thread = sessionThreads.newThread(() -> runSession(socket, number));
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

  private void runSession(Socket socket, int number) {
    boolean admitted = admit();
    Runnable work = factory.session(socket, number, !admitted);
    Watched watch = work instanceof Watched w ? w : null;
    if (watch != null) {
      watched.add(watch);
    }
    try {
      work.run();
    } finally {
      if (watch != null) {
        watched.remove(watch);
      }
      closeQuietly(socket);
      if (admitted) {
        slots.release();
      }
      synchronized (lock) {
        sockets.remove(socket);
        threads.remove(Thread.currentThread());
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
    join(acceptor, deadline);
    synchronized (lock) {
      openSockets = new ArrayList<>(sockets);
      running = new ArrayList<>(threads);
    }
    for (Watched session : watched) {
      session.shuttingDown();
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
      for (Watched session : watched) {
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

  private static void pause() {
    try {
      Thread.sleep(10);
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
}
