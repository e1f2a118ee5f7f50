package dev.smtpdouble.assertj;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Rule;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import dev.smtpdouble.junit5.internal.AwaitTimeouts;
import dev.smtpdouble.junit5.internal.Durations;
import dev.smtpdouble.junit5.internal.Evidence;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Assertions on a running {@link SmtpDouble}: how many messages arrived, each message, violations
 * and rules. Create them with {@link SmtpAssertions#assertThat(SmtpDouble)}.
 *
 * <pre>{@code
 * assertThat(smtp).hasReceived(1).first()
 *     .hasFrom("shop@example.test").hasRecipients("alice@example.test")
 *     .hasSubject("Welcome").bodyContains("Hello Alice");
 * assertThat(smtp).hasNoViolations();
 * }</pre>
 *
 * <p><b>Waiting.</b> The assertions about arrival ({@link #hasReceived}, {@link
 * #hasReceivedAtLeast}, {@link #first()}, {@link #message(int)}, {@link #messageMatching}, {@link
 * #anyMessageSatisfies}, {@link #hasViolation}) wait for asynchronous senders, polling with
 * Awaitility, and return as soon as the condition holds. They wait at most {@link #within(Duration)
 * the timeout given to this assertion}, else the double's default: for doubles started by
 * {@code @SmtpServer}, its {@code awaitTimeout} or the configuration parameter {@code
 * smtpdouble.await.timeout}; 5 seconds otherwise. A timeout fails with what did arrive, the end of
 * the transcript, and the last unmet check as the cause. The other assertions check the state at
 * once.
 *
 * <p><b>Soft assertions.</b> Through {@link SmtpSoftAssertions} every check is collected. {@link
 * #message(int)} and {@link #first()} return soft assertions on the message when it is there; when
 * it is not, AssertJ can return no assertion: {@code message(int)} throws at once, and {@code
 * first()} and {@code messageMatching} record the failure and return {@code null}. Check the count
 * first, or wrap such a chain in {@code softly.check(() -> ...)}.
 *
 * @since 0.1
 */
public class SmtpDoubleAssert extends AbstractAssert<SmtpDoubleAssert, SmtpDouble> {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
  private static final int TAIL_LINES = 20;

  private Duration timeout;

  /**
   * Creates assertions on a double; {@link SmtpAssertions#assertThat(SmtpDouble)} reads better.
   *
   * @param actual the double, may be null (the assertions then fail)
   */
  public SmtpDoubleAssert(SmtpDouble actual) {
    super(actual, SmtpDoubleAssert.class);
    this.timeout = AwaitTimeouts.of(actual);
  }

  /**
   * Sets how long the following assertions of this chain wait for messages to arrive.
   *
   * <pre>{@code
   * assertThat(smtp).within(Duration.ofSeconds(30)).hasReceived(100);
   * }</pre>
   *
   * @param timeout the longest wait; zero checks at once
   * @return this assertion
   * @throws IllegalArgumentException when the timeout is negative
   */
  public SmtpDoubleAssert within(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout cannot be negative: " + timeout);
    }
    this.timeout = timeout;
    return myself;
  }

  /**
   * Waits until the double has received {@code count} messages (accepted or rejected), then checks
   * that it received exactly that many.
   *
   * @param count the number of messages
   * @return this assertion
   * @throws AssertionError when fewer arrive in time, or more arrived
   * @throws IllegalArgumentException when count is negative
   */
  public SmtpDoubleAssert hasReceived(int count) {
    isNotNull();
    checkNotNegative(count, "count");
    String expectation = "to have received exactly:\n  " + Evidence.messages(count);
    List<ReceivedMessage> messages = awaitMessages(expectation, list -> list.size() >= count);
    if (messages.size() != count) {
      throw failure(
          "Expecting %s %s\nbut it received:\n  %s:\n%s",
          Evidence.where(actual),
          expectation,
          Evidence.messages(messages.size()),
          Evidence.list(messages, "  ").stripTrailing());
    }
    return myself;
  }

  /**
   * Waits until the double has received at least {@code count} messages.
   *
   * @param count the least number of messages
   * @return this assertion
   * @throws AssertionError when fewer arrive in time
   * @throws IllegalArgumentException when count is negative
   */
  public SmtpDoubleAssert hasReceivedAtLeast(int count) {
    isNotNull();
    checkNotNegative(count, "count");
    awaitMessages(
        "to have received at least:\n  " + Evidence.messages(count), list -> list.size() >= count);
    return myself;
  }

  /**
   * Checks, at once, that no message arrived.
   *
   * @return this assertion
   * @throws AssertionError when a message arrived
   */
  public SmtpDoubleAssert hasNoMessages() {
    isNotNull();
    List<ReceivedMessage> messages = actual.messages();
    if (!messages.isEmpty()) {
      throw failure(
          "Expecting %s to have received no message, but it received:\n  %s:\n%s",
          Evidence.where(actual),
          Evidence.messages(messages.size()),
          Evidence.list(messages, "  ").stripTrailing());
    }
    return myself;
  }

  /**
   * Waits for the first message and returns assertions on it.
   *
   * @return assertions on the oldest message
   * @throws AssertionError when no message arrives in time
   */
  public ReceivedMessageAssert first() {
    return message(0);
  }

  /**
   * Waits for the message at an index (0 for the oldest, in the order of {@link
   * SmtpDouble#messages()}) and returns assertions on it.
   *
   * @param index the index, from 0
   * @return assertions on that message
   * @throws AssertionError when fewer than {@code index + 1} messages arrive in time
   * @throws IllegalArgumentException when index is negative
   */
  public ReceivedMessageAssert message(int index) {
    isNotNull();
    checkNotNegative(index, "index");
    List<ReceivedMessage> messages =
        awaitMessages(
            "to have received at least:\n  "
                + Evidence.messages(index + 1)
                + " (to look at message #"
                + (index + 1)
                + ", index "
                + index
                + ")",
            list -> list.size() > index);
    String outer = descriptionText();
    String navigation = "message #" + (index + 1);
    return new ReceivedMessageAssert(messages.get(index))
        .as(outer == null || outer.isEmpty() ? navigation : outer + ", " + navigation);
  }

  /**
   * Waits for a message that matches a predicate and returns assertions on the oldest such.
   *
   * <pre>{@code
   * assertThat(smtp).messageMatching(m -> m.recipients().contains("bob@example.test"))
   *     .hasSubject("Your invoice");
   * }</pre>
   *
   * @param predicate what the message must satisfy
   * @return assertions on the first matching message
   * @throws AssertionError when no matching message arrives in time
   */
  public ReceivedMessageAssert messageMatching(Predicate<? super ReceivedMessage> predicate) {
    return messageMatching("the given predicate", predicate);
  }

  /**
   * Waits for a message that matches a predicate, described for the failure message.
   *
   * @param description what the predicate checks, such as {@code "sent to bob"}
   * @param predicate what the message must satisfy
   * @return assertions on the first matching message
   * @throws AssertionError when no matching message arrives in time
   */
  public ReceivedMessageAssert messageMatching(
      String description, Predicate<? super ReceivedMessage> predicate) {
    isNotNull();
    Objects.requireNonNull(predicate, "predicate");
    List<ReceivedMessage> messages =
        awaitMessages(
            "to have received a message matching:\n  " + description,
            list -> list.stream().anyMatch(predicate));
    for (int i = 0; i < messages.size(); i++) {
      if (predicate.test(messages.get(i))) {
        return message(i);
      }
    }
    throw new IllegalStateException("a matching message vanished"); // messages only grow
  }

  /**
   * Waits for a message that satisfies the given assertions.
   *
   * <pre>{@code
   * assertThat(smtp).anyMessageSatisfies(m -> assertThat(m).hasSubject("Reset your password"));
   * }</pre>
   *
   * @param requirements assertions on one message, throwing {@link AssertionError} when it does not
   *     fit
   * @return this assertion
   * @throws AssertionError when no message satisfying them arrives in time; it shows why each
   *     message that did arrive failed
   */
  public SmtpDoubleAssert anyMessageSatisfies(Consumer<? super ReceivedMessage> requirements) {
    isNotNull();
    Objects.requireNonNull(requirements, "requirements");
    Predicate<ReceivedMessage> satisfies =
        message -> {
          try {
            requirements.accept(message);
            return true;
          } catch (AssertionError e) {
            return false;
          }
        };
    awaitMessages(
        "to have received a message satisfying the given requirements",
        list -> list.stream().anyMatch(satisfies),
        messages -> whyNot(messages, requirements));
    return myself;
  }

  private static String whyNot(
      List<ReceivedMessage> messages, Consumer<? super ReceivedMessage> requirements) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      out.append("  #").append(i + 1).append(' ').append(Evidence.summary(messages.get(i)));
      try {
        requirements.accept(messages.get(i));
        out.append('\n');
      } catch (AssertionError e) {
        out.append("\n    failed: ")
            .append(String.valueOf(e.getMessage()).strip().replace("\n", "\n    "))
            .append('\n');
      }
    }
    return out.toString();
  }

  /**
   * Checks, at once, that no client violated the protocol.
   *
   * @return this assertion
   * @throws AssertionError naming each violation
   */
  public SmtpDoubleAssert hasNoViolations() {
    isNotNull();
    List<Violation> violations = actual.violations();
    if (!violations.isEmpty()) {
      StringBuilder list = new StringBuilder();
      violations.forEach(v -> list.append("\n  ").append(v));
      throw failure(
          "Expecting %s to have seen no protocol violation, but the client committed %d:%s",
          Evidence.where(actual), violations.size(), list);
    }
    return myself;
  }

  /**
   * Waits until the double has seen a violation of the given kind: some, such as {@link
   * Violation.Kind#CLOSED_WITHOUT_QUIT}, are noticed only after the client has gone.
   *
   * @param kind the kind of violation
   * @return this assertion
   * @throws AssertionError when none of that kind is seen in time
   */
  public SmtpDoubleAssert hasViolation(Violation.Kind kind) {
    isNotNull();
    Objects.requireNonNull(kind, "kind");
    AtomicReference<List<Violation>> seen = new AtomicReference<>(actual.violations());
    String expectation = "to have seen a violation of kind:\n  " + kind + " (" + kind.mark() + ")";
    await(
        expectation,
        () -> {
          List<Violation> violations = actual.violations();
          seen.set(violations);
          return violations.stream().anyMatch(v -> v.kind() == kind);
        },
        () -> {
          List<Violation> violations = seen.get();
          if (violations.isEmpty()) {
            return "it saw:\n  no violation";
          }
          StringBuilder out = new StringBuilder("it saw:");
          violations.forEach(v -> out.append("\n  ").append(v));
          return out.toString();
        });
    return myself;
  }

  /**
   * Checks, at once, that every rule of the double acted at least once (since its start or its last
   * {@link SmtpDouble#reset()}).
   *
   * @return this assertion
   * @throws AssertionError listing the rules that never acted
   */
  public SmtpDoubleAssert hasNoUnusedRules() {
    isNotNull();
    List<Rule> unused = actual.unusedRules();
    if (!unused.isEmpty()) {
      StringBuilder list = new StringBuilder();
      unused.forEach(rule -> list.append("\n  ").append(rule));
      throw failure(
          "Expecting every rule of %s to have acted, but %d never did:%s",
          Evidence.where(actual), unused.size(), list);
    }
    return myself;
  }

  // ---- waiting ----

  private List<ReceivedMessage> awaitMessages(
      String expectation, Predicate<List<ReceivedMessage>> done) {
    return awaitMessages(expectation, done, messages -> Evidence.list(messages, "  "));
  }

  private List<ReceivedMessage> awaitMessages(
      String expectation,
      Predicate<List<ReceivedMessage>> done,
      Function<List<ReceivedMessage>, String> detail) {
    AtomicReference<List<ReceivedMessage>> seen = new AtomicReference<>(actual.messages());
    await(
        expectation,
        () -> {
          List<ReceivedMessage> messages = actual.messages();
          seen.set(messages);
          return done.test(messages);
        },
        () -> {
          List<ReceivedMessage> messages = seen.get();
          String received = Evidence.messages(messages.size());
          String listed = detail.apply(messages);
          return "it received:\n  "
              + received
              + (listed.isEmpty() ? "" : ":\n" + listed.stripTrailing());
        });
    return seen.get();
  }

  /**
   * Waits with a local Awaitility condition (Awaitility's static defaults are neither used for the
   * timing nor changed), polling in this thread.
   */
  private void await(String expectation, BooleanSupplier condition, Supplier<String> state) {
    if (condition.getAsBoolean()) {
      return;
    }
    AtomicReference<AssertionError> last = new AtomicReference<>();
    String expecting = "Expecting " + Evidence.where(actual) + " " + expectation;
    if (!timeout.isZero()) {
      try {
        Awaitility.await()
            .alias(Evidence.where(actual) + " " + expectation.replace("\n ", ""))
            .atMost(timeout)
            .pollDelay(Duration.ZERO)
            .pollInterval(timeout.compareTo(POLL_INTERVAL) < 0 ? timeout : POLL_INTERVAL)
            .pollInSameThread()
            .dontCatchUncaughtExceptions()
            .untilAsserted(
                () -> {
                  if (!condition.getAsBoolean()) {
                    AssertionError error = new AssertionError(expecting + "\nbut " + state.get());
                    last.set(error);
                    throw error;
                  }
                });
        return;
      } catch (ConditionTimeoutException e) {
        // described below
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()
            || e.getCause() instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw withCause(failure("%s\nbut the wait was interrupted", expecting), e);
        }
        throw e;
      }
    }
    AssertionError error =
        failure(
            "%s\nwithin %s, but %s\n%s",
            expecting, Durations.describe(timeout), state.get(), Evidence.tail(actual, TAIL_LINES));
    throw withCause(error, last.get());
  }

  private static AssertionError withCause(AssertionError error, Throwable cause) {
    if (cause != null && error.getCause() == null) {
      error.initCause(cause);
    }
    return error;
  }

  private static void checkNotNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " cannot be negative: " + value);
    }
  }
}
