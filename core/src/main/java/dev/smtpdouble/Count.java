package dev.smtpdouble;

/**
 * Which of a rule's matches it acts on. Matches are counted over the double's whole life, across
 * all sessions, and every command that the rule's trigger and pattern match counts, whether or not
 * the rule acted on it (SPEC §8). {@link SmtpDouble#reset()} sets every count back to zero.
 *
 * <ul>
 *   <li>{@link #always()}: every match (no count in the script);
 *   <li>{@link #times(int) times(n)}: matches 1 to n ({@code once}, {@code 2 times});
 *   <li>{@link #nth(int) nth(n)}: match n only ({@code on 2nd}).
 * </ul>
 *
 * @param kind which form this is
 * @param n the number of times, or the ordinal; 0 for {@link Kind#ALWAYS}
 * @since 0.1
 */
public record Count(Kind kind, int n) {

  /** The three forms of a count. */
  public enum Kind {
    /** Acts on every match. */
    ALWAYS,
    /** Acts on the first n matches. */
    TIMES,
    /** Acts on the n-th match only. */
    NTH
  }

  private static final Count ALWAYS = new Count(Kind.ALWAYS, 0);

  /**
   * Checks that {@code n} fits the kind.
   *
   * @param kind which form this is
   * @param n the number of times or the ordinal
   * @throws IllegalArgumentException when n is below 1 (or not 0 for {@link Kind#ALWAYS})
   */
  public Count {
    if (kind == null) {
      throw new NullPointerException("kind");
    }
    if (kind == Kind.ALWAYS ? n != 0 : n < 1) {
      throw new IllegalArgumentException(
          kind == Kind.ALWAYS ? "ALWAYS takes no number" : "a count starts at 1, but was " + n);
    }
  }

  /**
   * Every match: the default.
   *
   * @return the count
   */
  public static Count always() {
    return ALWAYS;
  }

  /**
   * The first match only ({@code once}).
   *
   * @return the count
   */
  public static Count once() {
    return new Count(Kind.TIMES, 1);
  }

  /**
   * The first {@code n} matches ({@code 2 times}).
   *
   * @param n how many matches, at least 1
   * @return the count
   */
  public static Count times(int n) {
    return new Count(Kind.TIMES, n);
  }

  /**
   * The {@code n}-th match only ({@code on 2nd}).
   *
   * @param n the ordinal, at least 1
   * @return the count
   */
  public static Count nth(int n) {
    return new Count(Kind.NTH, n);
  }

  /**
   * Whether a rule with this count acts on its {@code match}-th match.
   *
   * @param match the 1-based number of the match
   * @return true when the rule acts
   */
  public boolean covers(int match) {
    return switch (kind) {
      case ALWAYS -> true;
      case TIMES -> match <= n;
      case NTH -> match == n;
    };
  }

  /**
   * Whether no later match can be covered once {@code matches} matches have happened.
   *
   * @param matches how many matches so far
   * @return true when the rule will never act again
   */
  public boolean usedUpAfter(int matches) {
    return kind != Kind.ALWAYS && matches >= n;
  }

  /**
   * The script text: empty for always, {@code once}, {@code 3 times} or {@code on 2nd}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return switch (kind) {
      case ALWAYS -> "";
      case TIMES -> n == 1 ? "once" : n + " times";
      case NTH -> "on " + ordinal(n);
    };
  }

  /**
   * English ordinal of a positive number: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ...
   *
   * @param n a positive number
   * @return the ordinal
   */
  static String ordinal(int n) {
    int lastTwo = n % 100;
    String suffix;
    if (lastTwo >= 11 && lastTwo <= 13) {
      suffix = "th";
    } else {
      suffix =
          switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
          };
    }
    return n + suffix;
  }
}
