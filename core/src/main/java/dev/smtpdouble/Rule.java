package dev.smtpdouble;

import dev.smtpdouble.internal.script.Glob;
import dev.smtpdouble.internal.script.ScriptParser;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One scripted behaviour: actions, when they act ({@code to} or {@code after} a trigger), which
 * commands they match, and on which matches. Rules are immutable values; the script language and
 * the Java API ({@link SmtpDouble#on(Command)}) build the same ones, and {@link #toString()} gives
 * the script text, which {@link #parse(String)} reads back to an equal rule.
 *
 * <pre>{@code
 * Rule rule = Rule.parse("reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>");
 * smtp.add(rule);
 * }</pre>
 *
 * @since 0.1
 */
public final class Rule {

  /** When a rule acts relative to its trigger. */
  public enum Phase {
    /**
     * Instead of the normal reply to the trigger ({@code to}); a rule with only delays delays the
     * normal reply. {@code to CONNECT} replaces the greeting.
     */
    TO,
    /**
     * Right after the trigger's reply was sent ({@code after}); for DATA, once the message body has
     * been received, its replies answering the end of the data.
     */
    AFTER;

    /**
     * The script keyword: {@code to} or {@code after}.
     *
     * @return the keyword
     */
    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern VERB = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
  private static final Pattern BARE_PATTERN = Pattern.compile("[^\\s\"#,]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  private final List<Action> actions;
  private final Phase phase;
  private final String trigger;
  private final String pattern;
  private final Count count;
  private final Glob glob;

  /**
   * A rule from its parts.
   *
   * @param actions what it does, in order; at least one
   * @param phase {@code to} or {@code after}
   * @param trigger {@code CONNECT} or a verb, any case
   * @param pattern a glob ({@code *}, {@code ?}) over the address of MAIL/RCPT or the argument of
   *     other commands, or null for any; not empty, without CR or LF
   * @param count which matches it acts on
   * @throws IllegalArgumentException when the parts do not make a valid rule
   */
  public Rule(List<Action> actions, Phase phase, String trigger, String pattern, Count count) {
    this.actions = List.copyOf(actions);
    this.phase = Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(trigger, "trigger");
    if (!VERB.matcher(trigger).matches()) {
      throw new IllegalArgumentException("a trigger is CONNECT or a verb, but was: " + trigger);
    }
    this.trigger = trigger.toUpperCase(Locale.ROOT);
    if (pattern != null && pattern.isEmpty()) {
      throw new IllegalArgumentException("a pattern cannot be empty (leave it out to match all)");
    }
    if (pattern != null && (pattern.indexOf('\r') >= 0 || pattern.indexOf('\n') >= 0)) {
      throw new IllegalArgumentException(
          "a pattern cannot hold CR or LF (no command line does): " + pattern);
    }
    this.pattern = pattern;
    this.count = Objects.requireNonNull(count, "count");
    if (this.actions.isEmpty()) {
      throw new IllegalArgumentException("a rule needs at least one action");
    }
    for (Action action : this.actions) {
      Objects.requireNonNull(action, "action");
      if (action.kind() == Action.Kind.TLS_FAIL
          && !this.trigger.equals("STARTTLS")
          && !this.trigger.equals("CONNECT")) {
        throw new IllegalArgumentException(
            "tls-fail belongs to STARTTLS (or to CONNECT with implicit TLS), not to "
                + this.trigger);
      }
      if (action instanceof Action.Respond respond
          && respond.then().isPresent()
          && !this.trigger.equals("DATA")
          && !this.trigger.equals("BDAT")) {
        throw new IllegalArgumentException(
            "'reply A then B' belongs to DATA or BDAT, not to " + this.trigger);
      }
    }
    boolean envelope = this.trigger.equals("MAIL") || this.trigger.equals("RCPT");
    this.glob = pattern == null ? null : Glob.compile(pattern, envelope);
  }

  /**
   * Reads one rule in the script language.
   *
   * @param text the rule, for instance {@code reply 211 to HELP}; a trailing comment is allowed
   * @return the rule
   * @throws ScriptException when the text is not one valid rule; the message names the column and
   *     what was expected
   */
  public static Rule parse(String text) {
    List<Rule> rules = ScriptParser.parse(text);
    if (rules.size() != 1) {
      throw ScriptParser.notExactlyOne(text, rules.size());
    }
    return rules.get(0);
  }

  /**
   * Reads a script: one rule a line, {@code #} comments and blank lines allowed. Each argument may
   * hold several lines; line numbers in errors count across all of them.
   *
   * @param lines the script
   * @return the rules, in order
   * @throws ScriptException at the first malformed rule, naming its line and column
   */
  public static List<Rule> parseScript(String... lines) {
    return ScriptParser.parse(lines);
  }

  /**
   * What the rule does, in order.
   *
   * @return the actions
   */
  public List<Action> actions() {
    return actions;
  }

  /**
   * Whether it acts instead of the reply ({@code to}) or after it ({@code after}).
   *
   * @return the phase
   */
  public Phase phase() {
    return phase;
  }

  /**
   * {@code CONNECT} or the verb it matches, upper case.
   *
   * @return the trigger
   */
  public String trigger() {
    return trigger;
  }

  /**
   * The trigger as a {@link Command}, when it is one of the known ones.
   *
   * @return the command, or empty for another verb
   */
  public Optional<Command> command() {
    return Command.fromVerb(trigger);
  }

  /**
   * The glob the command's address or argument must match, as written.
   *
   * @return the pattern, or empty when every command with the trigger matches
   */
  public Optional<String> pattern() {
    return Optional.ofNullable(pattern);
  }

  /**
   * Which matches the rule acts on.
   *
   * @return the count
   */
  public Count count() {
    return count;
  }

  /**
   * Whether a command matches this rule's trigger and pattern.
   *
   * @param verb the command's verb, or {@code CONNECT}
   * @param subject the address of MAIL/RCPT, the argument of other commands, or the client's IP
   *     address for CONNECT
   * @return true when the rule's count should advance
   */
  public boolean matches(String verb, String subject) {
    return trigger.equalsIgnoreCase(verb) && (glob == null || glob.matches(subject));
  }

  /**
   * This rule with another count.
   *
   * @param newCount the count
   * @return a new rule
   */
  public Rule withCount(Count newCount) {
    return new Rule(actions, phase, trigger, pattern, newCount);
  }

  /**
   * This rule with other actions.
   *
   * @param newActions the actions
   * @return a new rule
   */
  public Rule withActions(List<Action> newActions) {
    return new Rule(newActions, phase, trigger, pattern, count);
  }

  /**
   * The rule in the script language, for instance {@code reply 451 "4.7.1 Greylisted" to RCPT 2
   * times}.
   *
   * @return the text, which {@link #parse(String)} reads back to an equal rule
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < actions.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(actions.get(i));
    }
    out.append(' ').append(phase.keyword()).append(' ').append(trigger);
    if (pattern != null) {
      out.append(' ').append(needsQuotes(pattern) ? Quoting.quote(pattern) : pattern);
    }
    String countText = count.toString();
    if (!countText.isEmpty()) {
      out.append(' ').append(countText);
    }
    return out.toString();
  }

  private static boolean needsQuotes(String pattern) {
    String lower = pattern.toLowerCase(Locale.ROOT);
    return !BARE_PATTERN.matcher(pattern).matches()
        || lower.equals("once")
        || lower.equals("on")
        || DIGITS.matcher(pattern).matches();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Rule rule
        && actions.equals(rule.actions)
        && phase == rule.phase
        && trigger.equals(rule.trigger)
        && Objects.equals(pattern, rule.pattern)
        && count.equals(rule.count);
  }

  @Override
  public int hashCode() {
    return Objects.hash(actions, phase, trigger, pattern, count);
  }
}
