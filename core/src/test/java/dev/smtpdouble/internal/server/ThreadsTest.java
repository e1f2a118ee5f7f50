package dev.smtpdouble.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Session threads: a fallback to platform threads is said, and every running one is counted.
 * Isolated: it reads the JVM-wide count of session threads.
 */
@Isolated
@Timeout(30)
class ThreadsTest {

  @Test
  void withoutVirtualThreadsOnJava21TheFallbackIsSaidOnceWithItsReason() throws Exception {
    List<String> warnings = new ArrayList<>();
    Exception why = new ClassNotFoundException("java.lang.Thread$Builder$OfVirtual");
    ThreadFactory first = Threads.sessions("t-", null, why, 21, warnings::add);
    Threads.sessions("t-", null, why, 21, warnings::add);
    assertThat(warnings)
        .containsExactly(
            "smtp-double: Java 21 but no virtual threads (java.lang.ClassNotFoundException:"
                + " java.lang.Thread$Builder$OfVirtual); sessions run on platform threads");
    Thread thread = first.newThread(() -> {});
    assertThat(thread.getName()).isEqualTo("t-1");
    assertThat(thread.isDaemon()).isTrue();
  }

  @Test
  void onJava17PlatformThreadsAreTheDocumentedBehaviourAndNotWarnedAbout() {
    List<String> warnings = new ArrayList<>();
    Threads.sessions("t-", null, new ClassNotFoundException("x"), 17, warnings::add);
    assertThat(warnings).isEmpty();
  }

  @Test
  void runningSessionThreadsAreCountedVirtualOrNot() throws Exception {
    ThreadFactory factory = Threads.sessions("counted-");
    int before = Threads.liveSessionThreads();
    CountDownLatch started = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread thread =
          factory.newThread(
              Threads.counted(
                  () -> {
                    started.countDown();
                    try {
                      release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      threads.add(thread);
      thread.start();
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Threads.liveSessionThreads() - before).isGreaterThanOrEqualTo(3);
    release.countDown();
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    assertThat(Threads.liveSessionThreads()).isLessThanOrEqualTo(before);
  }
}
