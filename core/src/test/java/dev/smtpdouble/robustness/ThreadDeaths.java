package dev.smtpdouble.robustness;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Notices exceptions that escape a thread (a session thread that died, or a listener failure the
 * double hands to the thread's handler): installs a default uncaught-exception handler that
 * records them, and puts the previous one back when closed.
 */
final class ThreadDeaths implements AutoCloseable {
  private final Thread.UncaughtExceptionHandler previous;
  private final List<String> deaths = new ArrayList<>();

  private ThreadDeaths() {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(this::died);
  }

  /** Starts watching. */
  static ThreadDeaths watch() {
    return new ThreadDeaths();
  }

  private void died(Thread thread, Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    synchronized (deaths) {
      deaths.add(thread.getName() + ": " + trace);
    }
  }

  /** The threads that died with an exception so far, with their stack traces. */
  List<String> deaths() {
    synchronized (deaths) {
      return List.copyOf(deaths);
    }
  }

  /** The number of deaths so far. */
  int count() {
    synchronized (deaths) {
      return deaths.size();
    }
  }

  @Override
  public void close() {
    Thread.setDefaultUncaughtExceptionHandler(previous);
  }
}
