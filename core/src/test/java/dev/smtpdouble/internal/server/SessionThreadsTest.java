package dev.smtpdouble.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The threads sessions run on: platform threads are kept for the next session and end when none
 * comes within the keep-alive or when closed; other threads (virtual ones) are never reused; only
 * running sessions are counted. Isolated: it reads the JVM-wide count of session threads.
 */
@Isolated
@Timeout(30)
class SessionThreadsTest {

  /** Runs a session that reports its thread, and waits for it to be over. */
  private static Thread runOne(SessionThreads threads) throws InterruptedException {
    BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(1);
    threads.run(() -> ran.add(Thread.currentThread()));
    Thread thread = ran.poll(10, TimeUnit.SECONDS);
    assertThat(thread).as("the session ran").isNotNull();
    return thread;
  }

  /** A session that counts {@code started} down, then runs until {@code release} (10 s at most). */
  private static Runnable busyUntil(CountDownLatch started, CountDownLatch release) {
    return () -> {
      started.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Until the thread waits for its next session (its own is over), at most 10 s. */
  private static void awaitWaiting(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(thread.getState()).isEqualTo(Thread.State.TIMED_WAITING);
  }

  private static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(10_000);
      assertThat(thread.isAlive()).as(thread.getName() + " still alive").isFalse();
    }
  }

  /**
   * A double made for one test has a session or two: its threads end with their session, so its
   * stop has no waiting thread to wake; from the third session on (here), threads are kept.
   */
  @Test
  void threadsAreKeptOnlyOnceMoreThanAFewSessionsHaveRun() throws Exception {
    SessionThreads threads = new SessionThreads(new Threads.Platform("few-"), 60_000, 2);
    Thread first = runOne(threads);
    first.join(10_000);
    assertThat(first.isAlive()).as("the first session's thread ended with it").isFalse();
    Thread second = runOne(threads);
    second.join(10_000);
    assertThat(second.isAlive()).as("the second session's thread ended with it").isFalse();
    Thread third = runOne(threads);
    awaitWaiting(third);
    assertThat(runOne(threads)).isSameAs(third);
    joinAll(threads.close());
  }

  @Test
  void aPlatformThreadRunsTheNextSessionWhenItsOwnIsOver() throws Exception {
    SessionThreads threads = new SessionThreads(new Threads.Platform("reuse-"), 10_000, 0);
    Thread first = runOne(threads);
    awaitWaiting(first);
    Thread second = runOne(threads);
    assertThat(second).isSameAs(first);
    assertThat(second.getName()).isEqualTo("reuse-1");
    List<Thread> left = threads.close();
    assertThat(left).containsExactly(first);
    joinAll(left);
  }

  @Test
  void aKeptThreadEndsWhenNoSessionComesWithinTheKeepAlive() throws Exception {
    SessionThreads threads = new SessionThreads(new Threads.Platform("idle-"), 50, 0);
    Thread thread = runOne(threads);
    thread.join(10_000);
    assertThat(thread.isAlive()).isFalse();
    assertThat(threads.close()).isEmpty();
  }

  @Test
  void closeEndsTheWaitingThreadsAtOnceAndListsTheBusyOnes() throws Exception {
    SessionThreads threads = new SessionThreads(new Threads.Platform("close-"), 60_000, 0);
    Thread idle = runOne(threads);
    awaitWaiting(idle);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    threads.run(busyUntil(busy, release));
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    List<Thread> left = threads.close();
    assertThat(left).hasSize(1).contains(idle); // the busy session took the waiting thread
    release.countDown();
    joinAll(left);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("a 60 s keep-alive does not hold close up")
        .isLessThan(5000);
  }

  @Test
  void aSessionHandedOverAsTheThreadsCloseStillRuns() throws Exception {
    SessionThreads threads = new SessionThreads(new Threads.Platform("late-"), 60_000, 0);
    awaitWaiting(runOne(threads));
    CountDownLatch ran = new CountDownLatch(1);
    // handed to the waiting thread, which wakes up only after close() has begun
    threads.run(ran::countDown);
    List<Thread> left = threads.close();
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    joinAll(left);
  }

  @Test
  void otherThreadsThanPlatformOnesAreNeverReused() throws Exception {
    AtomicInteger made = new AtomicInteger();
    ThreadFactory plain = runnable -> new Thread(runnable, "plain-" + made.incrementAndGet());
    SessionThreads threads = new SessionThreads(plain, 60_000, 0);
    Thread first = runOne(threads);
    first.join(10_000);
    Thread second = runOne(threads);
    assertThat(second).isNotSameAs(first);
    assertThat(made.get()).isEqualTo(2);
    joinAll(threads.close());
  }

  @Test
  void onlyRunningSessionsAreCountedNotWaitingThreads() throws Exception {
    SessionThreads threads = new SessionThreads(new Threads.Platform("count-"), 60_000, 0);
    int before = Threads.liveSessionThreads();
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    threads.run(busyUntil(started, release));
    threads.run(busyUntil(started, release));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Threads.liveSessionThreads() - before).isEqualTo(2);
    release.countDown();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (Threads.liveSessionThreads() > before && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    // both threads are still there, waiting for a next session, and are not counted
    assertThat(Threads.liveSessionThreads()).isEqualTo(before);
    List<Thread> left = threads.close();
    assertThat(left).hasSize(2);
    joinAll(left);
  }
}
