package dev.smtpdouble.internal.script;

import dev.smtpdouble.Action;
import dev.smtpdouble.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the rules that matched one command mean for the session, worked out in one place: the
 * actions that answer the command now (instead of the normal reply), those that answer the end of
 * the message data (DATA only), and those that act after the answer. {@code reply A then B} is
 * split here: A answers DATA (or each BDAT chunk but the last), B the end of the data (or the LAST
 * chunk). A list that is null leaves the normal reply in place.
 *
 * <p>Each list, once carried out, is marked with its {@code ...Acted()} method so that {@link
 * RuleBook#unused()} lists only the rules whose turn never came.
 */
public final class Plan {
  /** No rule matched: every normal reply stands. */
  public static final Plan NONE = new Plan(null, null, null, null, null, null, false, false);

  private final List<Action> now;
  private final List<Action> atEnd;
  private final List<Action> after;
  private final RuleBook.Entry nowRule;
  private final RuleBook.Entry atEndRule;
  private final RuleBook.Entry afterRule;
  private final boolean scripted;
  private final boolean failsTls;

  private Plan(
      List<Action> now,
      List<Action> atEnd,
      List<Action> after,
      RuleBook.Entry nowRule,
      RuleBook.Entry atEndRule,
      RuleBook.Entry afterRule,
      boolean scripted,
      boolean failsTls) {
    this.now = now;
    this.atEnd = atEnd;
    this.after = after;
    this.nowRule = nowRule;
    this.atEndRule = atEndRule;
    this.afterRule = afterRule;
    this.scripted = scripted;
    this.failsTls = failsTls;
  }

  /** The plan for any command but DATA and BDAT: the {@code to} rule answers, the other follows. */
  static Plan command(RuleBook.Entry to, RuleBook.Entry after) {
    return new Plan(
        actions(to), null, actions(after), to, null, after, to != null, failsTls(to, after));
  }

  /**
   * The plan for DATA: A of a pair answers DATA, B (or the {@code after} rule) the end of data.
   */
  static Plan data(RuleBook.Entry to, RuleBook.Entry after) {
    if (to != null) {
      Action.Respond pair = pair(to.rule().actions());
      if (pair != null) {
        // B answers the end of the data, then the after rule acts (a disconnect, say)
        List<Action> atEnd = new ArrayList<>(List.of(pair.then().get()));
        List<Action> afterActions = cut(after, true);
        if (afterActions != null) {
          atEnd.addAll(afterActions);
        }
        return new Plan(cut(to, false), atEnd, null, to, after, null, true, false);
      }
      return new Plan(cut(to, false), cut(after, true), null, to, after, null, true, false);
    }
    if (after == null) {
      return NONE;
    }
    Action.Respond pair = pair(after.rule().actions());
    List<Action> now = pair == null ? null : List.of(firstOf(pair));
    return new Plan(now, cut(after, true), null, pair == null ? null : after, after, null, false, false);
  }

  /**
   * The plan for a BDAT chunk: A of a pair answers each chunk but the last, B the LAST one; in an
   * {@code after} rule the pair answers the chunk too, and the rule's other actions follow.
   */
  static Plan chunk(RuleBook.Entry to, RuleBook.Entry after, boolean last) {
    List<Action> afterActions = actions(after);
    Action.Respond afterPair = afterActions == null ? null : pair(afterActions);
    if (to != null) {
      return new Plan(cut(to, last), null, afterActions, to, null, after, true, false);
    }
    if (afterPair != null) {
      List<Action> now = List.of(last ? afterPair.then().get() : firstOf(afterPair));
      List<Action> rest = afterActions.stream().filter(a -> a != afterPair).toList();
      return new Plan(now, null, rest, after, null, after, false, false);
    }
    return new Plan(null, null, afterActions, null, null, after, false, false);
  }

  /**
   * The actions that answer the command, or null when the normal reply does.
   *
   * @return the actions, or null
   */
  public List<Action> now() {
    return now;
  }

  /**
   * The actions that answer the end of the message data, or null when the normal reply does.
   *
   * @return the actions, or null
   */
  public List<Action> atEnd() {
    return atEnd;
  }

  /**
   * The actions that follow the answer, or null when there are none.
   *
   * @return the actions, or null
   */
  public List<Action> after() {
    return after == null || after.isEmpty() ? null : after;
  }

  /**
   * Whether a {@code to} rule answers the command (a scripted 235 to AUTH then authenticates).
   *
   * @return true when the answer is scripted
   */
  public boolean scripted() {
    return scripted;
  }

  /**
   * Whether a rule fails the TLS handshake of this STARTTLS or implicit TLS connection.
   *
   * @return true for {@code tls-fail}
   */
  public boolean failsTls() {
    return failsTls;
  }

  /** The {@link #now()} actions were carried out. */
  public void nowActed() {
    acted(nowRule);
  }

  /** The {@link #atEnd()} actions were carried out. */
  public void atEndActed() {
    acted(atEndRule);
  }

  /** The {@link #after()} actions were carried out. */
  public void afterActed() {
    acted(afterRule);
  }

  private static void acted(RuleBook.Entry entry) {
    if (entry != null) {
      entry.acted();
    }
  }

  private static List<Action> actions(RuleBook.Entry entry) {
    return entry == null ? null : entry.rule().actions();
  }

  private static boolean failsTls(RuleBook.Entry to, RuleBook.Entry after) {
    return hasTlsFail(to) || hasTlsFail(after);
  }

  private static boolean hasTlsFail(RuleBook.Entry entry) {
    if (entry != null) {
      for (Action action : entry.rule().actions()) {
        if (action.kind() == Action.Kind.TLS_FAIL) {
          return true;
        }
      }
    }
    return false;
  }

  /** The {@code reply A then B} among the actions, or null when there is none. */
  private static Action.Respond pair(List<Action> actions) {
    for (Action action : actions) {
      if (action instanceof Action.Respond respond && respond.then().isPresent()) {
        return respond;
      }
    }
    return null;
  }

  /** A of {@code reply A then B}. */
  private static Action.Respond firstOf(Action.Respond pair) {
    return new Action.Respond(pair.code(), pair.texts(), Optional.empty());
  }

  /** The rule's actions with each {@code reply A then B} cut to A, or to B when {@code toThen}. */
  private static List<Action> cut(RuleBook.Entry entry, boolean toThen) {
    if (entry == null) {
      return null;
    }
    Rule rule = entry.rule();
    List<Action> out = new ArrayList<>(rule.actions().size());
    for (Action action : rule.actions()) {
      if (action instanceof Action.Respond respond && respond.then().isPresent()) {
        out.add(toThen ? respond.then().get() : firstOf(respond));
      } else {
        out.add(action);
      }
    }
    return out;
  }
}
