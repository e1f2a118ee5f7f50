package dev.smtpdouble.internal.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes session threads: virtual threads when the JVM has them (Java 21 and later), platform
 * daemon threads otherwise. The code compiles for Java 17, so the virtual-thread builder is
 * reached through method handles.
 */
public final class Threads {
  private static final MethodHandle[] VIRTUAL = virtualBuilder();

  private Threads() {}

  /**
   * A factory of session threads named {@code prefix} plus a counter.
   *
   * @param prefix the name prefix
   * @return the factory
   */
  public static ThreadFactory sessions(String prefix) {
    if (VIRTUAL != null) {
      try {
        Object builder = VIRTUAL[0].invoke();
        Object named = VIRTUAL[1].invoke(builder, prefix, 1L);
        return (ThreadFactory) VIRTUAL[2].invoke(named);
      } catch (Throwable e) {
        // fall back to platform threads below
      }
    }
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static MethodHandle[] virtualBuilder() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      return new MethodHandle[] {
        lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)),
        lookup.findVirtual(
            ofVirtual, "name", MethodType.methodType(ofVirtual, String.class, long.class)),
        lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
