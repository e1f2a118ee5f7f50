package dev.smtpdouble.internal.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The threads sessions run on, one session at a time each. Where the JVM has virtual threads,
 * every session gets a new one. Otherwise (Java 17) a platform thread whose session is over
 * waits up to {@value #KEEP_ALIVE_MILLIS} ms for the next session before it ends: starting and
 * ending a platform thread is a large part of what a short session costs (a client that opens a
 * connection per message pays it once a message), and a thread kept a few seconds costs nothing.
 * Only a double that has had more than {@value #KEEP_AFTER} sessions keeps threads: a double made
 * for one test has a session or two, and a kept thread would only make its stop wait for that
 * thread to wake and end. {@link #close} ends the waiting threads at once, and the server joins
 * every thread it lists.
 *
 * <p>Each session is counted in {@link Threads#liveSessionThreads()} while it runs, whatever
 * thread runs it; a thread waiting for its next session is not counted.
 */
final class SessionThreads {
  static final long KEEP_ALIVE_MILLIS = 5000;
  static final int KEEP_AFTER = 8;

  private final ThreadFactory factory;
  private final boolean reuse;
  private final long keepAliveNanos;
  private final int keepAfter;
  /** Sessions run so far (under the lock). */
  private int sessions;
  private final Object lock = new Object();
  private final Set<Thread> threads = new HashSet<>();
  /** Sessions handed to waiting threads and not taken yet. */
  private final ArrayDeque<Runnable> handedOver = new ArrayDeque<>();
  private int waiting;
  private boolean closed;

  /**
   * Session threads named {@code prefix} plus a counter.
   *
   * @param prefix the name prefix
   */
  SessionThreads(String prefix) {
    this(Threads.sessions(prefix), KEEP_ALIVE_MILLIS, KEEP_AFTER);
  }

  /**
   * With a given factory: its threads are reused when it makes platform threads, once more than
   * {@code keepAfter} sessions have run.
   */
  SessionThreads(ThreadFactory factory, long keepAliveMillis, int keepAfter) {
    this.factory = factory;
    this.reuse = factory instanceof Threads.Platform;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
    this.keepAfter = keepAfter;
  }

  /**
   * Runs a session: on a waiting thread when there is one, else on a new thread. After {@link
   * #close} a session still runs, on a new thread, which {@link #close}'s caller no longer
   * lists.
   *
   * @param session the session
   */
  void run(Runnable session) {
    Runnable counted = Threads.counted(session);
    synchronized (lock) {
      sessions++;
      if (reuse && !closed && waiting > handedOver.size()) {
        handedOver.addLast(counted);
        lock.notify();
        return;
      }
    }
    Thread thread = factory.newThread(() -> work(counted));
    synchronized (lock) {
      threads.add(thread);
    }
    thread.start();
  }

  private void work(Runnable first) {
    try {
      Runnable session = first;
      while (session != null) {
        session.run();
        session = reuse ? next() : null;
      }
    } finally {
      synchronized (lock) {
        threads.remove(Thread.currentThread());
      }
    }
  }

  /** The next session handed over, or null when none came within the keep-alive, or on close. */
  private Runnable next() {
    synchronized (lock) {
      if (closed || sessions <= keepAfter) {
        return null;
      }
      Thread.interrupted(); // a session's interrupt is not the next one's
      waiting++;
      try {
        long deadline = System.nanoTime() + keepAliveNanos;
        while (handedOver.isEmpty() && !closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            // only close() interrupts a waiting thread; the loop sees closed
          }
        }
        // a session handed over before close() still runs
        return handedOver.pollFirst();
      } finally {
        waiting--;
      }
    }
  }

  /**
   * Stops keeping threads: the waiting ones end now, the others once their session is over.
   *
   * @return every thread that is still running or waiting, to interrupt and join
   */
  List<Thread> close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      return new ArrayList<>(threads);
    }
  }
}
