package dev.smtpdouble.internal.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Makes session threads: virtual threads when the JVM has them (Java 21 and later), platform
 * daemon threads otherwise. The code compiles for Java 17, so the virtual-thread builder is
 * reached through method handles. Falling back to platform threads on a JVM that should have
 * virtual ones is said once, on standard error, with the reason. Every session is counted while
 * it runs ({@link #liveSessionThreads()}), since virtual threads are not listed by {@link
 * Thread#getAllStackTraces()}; a platform thread waiting for its next session (see {@link
 * SessionThreads}) is not counted.
 */
public final class Threads {
  private static final MethodHandle[] VIRTUAL;
  private static final Throwable UNAVAILABLE;
  private static final AtomicBoolean FALLBACK_TOLD = new AtomicBoolean();
  private static final AtomicInteger LIVE = new AtomicInteger();

  static {
    MethodHandle[] handles = null;
    Throwable why = null;
    try {
      handles = virtualBuilder();
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e;
    }
    VIRTUAL = handles;
    UNAVAILABLE = why;
  }

  private Threads() {}

  /**
   * How many session threads, virtual or not, are running a session now, over every double in the
   * JVM.
   *
   * @return the count
   */
  public static int liveSessionThreads() {
    return LIVE.get();
  }

  /**
   * A factory of session threads named {@code prefix} plus a counter: virtual ones where the JVM
   * has them, else a {@link Platform} factory. Sessions are counted by {@link #counted}, not here.
   *
   * @param prefix the name prefix
   * @return the factory
   */
  static ThreadFactory sessions(String prefix) {
    return sessions(prefix, VIRTUAL, UNAVAILABLE, Runtime.version().feature(), System.err::println);
  }

  /**
   * The factory, from the virtual-thread builder's handles when there are any; otherwise platform
   * threads, and on Java {@code feature} 21 or later that is said once through {@code warn}.
   */
  static ThreadFactory sessions(
      String prefix,
      MethodHandle[] virtual,
      Throwable unavailable,
      int feature,
      Consumer<String> warn) {
    Throwable cause = unavailable;
    if (virtual != null) {
      try {
        Object builder = virtual[0].invoke();
        Object named = virtual[1].invoke(builder, prefix, 1L);
        return (ThreadFactory) virtual[2].invoke(named);
      } catch (Throwable e) {
        cause = e;
      }
    }
    if (feature >= 21 && FALLBACK_TOLD.compareAndSet(false, true)) {
      warn.accept(
          "smtp-double: Java "
              + feature
              + " but no virtual threads ("
              + cause
              + "); sessions run on platform threads");
    }
    return new Platform(prefix);
  }

  /**
   * A session, counted in {@link #liveSessionThreads()} while it runs.
   *
   * @param session the session
   * @return the counted session
   */
  static Runnable counted(Runnable session) {
    return () -> {
      LIVE.incrementAndGet();
      try {
        session.run();
      } finally {
        LIVE.decrementAndGet();
      }
    };
  }

  /** Platform daemon threads named by a prefix and a counter. */
  static final class Platform implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();

    Platform(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable runnable) {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  private static MethodHandle[] virtualBuilder() throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
    Class<?> builder = Class.forName("java.lang.Thread$Builder");
    return new MethodHandle[] {
      lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)),
      lookup.findVirtual(
          ofVirtual, "name", MethodType.methodType(ofVirtual, String.class, long.class)),
      lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
    };
  }
}
