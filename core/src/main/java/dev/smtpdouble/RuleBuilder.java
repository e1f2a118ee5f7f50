package dev.smtpdouble;

import dev.smtpdouble.internal.script.RuleBook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds a rule in Java, reading as the script does, and keeps it registered on its double: the
 * rule is added when it gets its first action, and every further call updates it in place. Obtain
 * one from {@link SmtpDouble#on(Command)} or {@link SmtpDouble#after(Command)}.
 *
 * <pre>{@code
 * smtp.on(Command.HELP).reply(211, "System status OK");          // reply 211 "..." to HELP
 * smtp.on(Command.DATA).reply(354).then(554, "5.7.1 Rejected");  // reply 354 then 554 ... to DATA
 * smtp.on(Command.RCPT).reply(451, "4.7.1 Greylisted").times(2); // ... to RCPT 2 times
 * smtp.on(Command.MAIL).delay(Duration.ofMillis(500)).reply(250);
 * smtp.on(Command.RCPT).reset().nth(2);                          // reset to RCPT on 2nd
 * }</pre>
 *
 * <p>A builder belongs to the rules in force when it was obtained: {@link SmtpDouble#reset()}
 * removes the rules added with {@code on} and {@code after}, and a builder obtained before the
 * reset then throws {@link IllegalStateException} on any call that would add or change its rule
 * (rather than silently changing a rule that is gone). Start the rule again after the reset.
 *
 * <p>Builders are immutable: each call returns a new builder for the same registered rule. Each
 * call takes effect at once, so while a client is already talking to the double, give the count
 * before the action ({@code smtp.on(Command.MAIL).once().reply(421)}) lest the rule act without
 * it in between.
 *
 * @since 0.1
 */
public final class RuleBuilder {
  private final RuleBook book;
  private final AtomicReference<RuleBook.Entry> slot;
  private final int generation;
  private final Rule.Phase phase;
  private final String trigger;
  private final String pattern;
  private final List<Action> actions;
  private final Count count;

  RuleBuilder(RuleBook book, Rule.Phase phase, String trigger, String pattern) {
    this(
        book,
        new AtomicReference<>(),
        book.generation(),
        phase,
        trigger,
        pattern,
        List.of(),
        Count.always());
    if (pattern != null && pattern.isEmpty()) {
      throw new IllegalArgumentException("a pattern cannot be empty (leave it out to match all)");
    }
  }

  private RuleBuilder(
      RuleBook book,
      AtomicReference<RuleBook.Entry> slot,
      int generation,
      Rule.Phase phase,
      String trigger,
      String pattern,
      List<Action> actions,
      Count count) {
    this.book = book;
    this.slot = slot;
    this.generation = generation;
    this.phase = phase;
    this.trigger = trigger;
    this.pattern = pattern;
    this.actions = actions;
    this.count = count;
  }

  /**
   * Answers with a reply: {@code reply 421 "4.3.2 Try again later"}.
   *
   * @param code the code, 200 to 599
   * @param texts the reply's lines; none for the code's standard text
   * @return a builder for the updated rule
   */
  public RuleBuilder reply(int code, String... texts) {
    return with(Action.Respond.of(code, texts));
  }

  /**
   * For DATA (and BDAT): what answers the end of the message after the reply just given answered
   * the command: {@code reply 354 then 554}.
   *
   * @param code the code answering the end of the data
   * @param texts its lines; none for the standard text
   * @return a builder for the updated rule
   * @throws IllegalStateException when the last action is not a reply
   * @throws IllegalArgumentException when the trigger is not DATA or BDAT
   */
  public RuleBuilder then(int code, String... texts) {
    if (actions.isEmpty() || !(actions.get(actions.size() - 1) instanceof Action.Respond last)) {
      throw new IllegalStateException("then(...) follows reply(...): call reply(354) first");
    }
    List<Action> updated = new ArrayList<>(actions);
    updated.set(updated.size() - 1, last.then(code, texts));
    return update(updated, count);
  }

  /**
   * Waits before the next action, or alone, before the normal reply: {@code delay 500ms}.
   *
   * @param duration whole milliseconds
   * @return a builder for the updated rule
   */
  public RuleBuilder delay(Duration duration) {
    return with(new Action.Delay(duration));
  }

  /**
   * Sends the reply (or the greeting, for CONNECT) slowly, as a congested server does: {@code
   * trickle 10}.
   *
   * @param bytesPerSecond how fast, 1 to 1,000,000,000
   * @return a builder for the updated rule
   */
  public RuleBuilder trickle(long bytesPerSecond) {
    return with(new Action.Trickle(bytesPerSecond));
  }

  /**
   * Closes the connection in an orderly way (FIN) instead of answering: {@code disconnect}.
   *
   * @return a builder for the updated rule
   */
  public RuleBuilder disconnect() {
    return with(new Action.Disconnect());
  }

  /**
   * Aborts the connection with a TCP RST: {@code reset}.
   *
   * @return a builder for the updated rule
   */
  public RuleBuilder reset() {
    return with(new Action.Reset());
  }

  /**
   * Never answers, keeping the connection open until the client gives up or the double closes:
   * {@code stall}.
   *
   * @return a builder for the updated rule
   */
  public RuleBuilder stall() {
    return with(new Action.Stall());
  }

  /**
   * Writes raw text (as UTF-8) instead of a reply, for malformed replies: {@code send "250
   * ok\r\n250 surprise\r\n"}.
   *
   * @param text the text, with Java escapes for CR and LF
   * @return a builder for the updated rule
   */
  public RuleBuilder send(String text) {
    return with(Action.Send.text(text));
  }

  /**
   * Writes raw bytes instead of a reply.
   *
   * @param bytes the bytes
   * @return a builder for the updated rule
   */
  public RuleBuilder send(byte[] bytes) {
    return with(new Action.Send(bytes));
  }

  /**
   * Fails the TLS handshake with a fatal alert: {@code tls-fail}. For STARTTLS (and CONNECT with
   * implicit TLS) only.
   *
   * @return a builder for the updated rule
   */
  public RuleBuilder tlsFail() {
    return with(new Action.TlsFail());
  }

  /**
   * Acts on the first match only: {@code once}.
   *
   * @return a builder for the updated rule
   */
  public RuleBuilder once() {
    return update(actions, Count.once());
  }

  /**
   * Acts on the first {@code n} matches: {@code n times}.
   *
   * @param n at least 1
   * @return a builder for the updated rule
   */
  public RuleBuilder times(int n) {
    return update(actions, Count.times(n));
  }

  /**
   * Acts on the {@code n}-th match only: {@code on 2nd}.
   *
   * @param n at least 1
   * @return a builder for the updated rule
   */
  public RuleBuilder nth(int n) {
    return update(actions, Count.nth(n));
  }

  /**
   * The rule as built so far.
   *
   * @return the rule
   * @throws IllegalStateException when no action was given yet
   */
  public Rule rule() {
    if (actions.isEmpty()) {
      throw new IllegalStateException(
          "the rule has no action yet: call reply, delay, disconnect, reset, stall or send");
    }
    return new Rule(actions, phase, trigger, pattern, count);
  }

  /**
   * The rule's script text, or a note when it has no action yet.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return actions.isEmpty()
        ? "(no action yet) " + phase.keyword() + " " + trigger
        : rule().toString();
  }

  private RuleBuilder with(Action action) {
    List<Action> updated = new ArrayList<>(actions);
    updated.add(action);
    return update(updated, count);
  }

  private RuleBuilder update(List<Action> newActions, Count newCount) {
    RuleBuilder next =
        new RuleBuilder(
            book, slot, generation, phase, trigger, pattern, List.copyOf(newActions), newCount);
    if (!newActions.isEmpty()) {
      Rule rule = next.rule();
      synchronized (slot) {
        RuleBook.Entry entry = slot.get();
        if (entry == null) {
          slot.set(book.add(rule, generation));
        } else {
          book.replace(entry, rule);
        }
      }
    }
    return next;
  }
}
