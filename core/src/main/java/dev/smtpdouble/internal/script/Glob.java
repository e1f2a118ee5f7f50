package dev.smtpdouble.internal.script;

import java.util.Locale;

/**
 * A case-insensitive glob: {@code *} matches any run of characters, {@code ?} any one character,
 * everything else itself. For envelope addresses, angle brackets around the pattern and the subject
 * are optional.
 */
public final class Glob {
  private final String pattern;
  private final boolean envelope;

  private Glob(String pattern, boolean envelope) {
    this.pattern = pattern;
    this.envelope = envelope;
  }

  /**
   * Compiles a glob.
   *
   * @param pattern the glob as written
   * @param envelope true for MAIL/RCPT addresses, whose angle brackets are optional
   * @return the glob
   */
  public static Glob compile(String pattern, boolean envelope) {
    String p = envelope ? stripBrackets(pattern) : pattern;
    return new Glob(p.toLowerCase(Locale.ROOT), envelope);
  }

  /**
   * Whether the subject matches.
   *
   * @param subject an address or an argument; null counts as empty
   * @return true on a match
   */
  public boolean matches(String subject) {
    String s = subject == null ? "" : subject;
    if (envelope) {
      s = stripBrackets(s);
    }
    return matches(pattern, s.toLowerCase(Locale.ROOT));
  }

  private static String stripBrackets(String text) {
    String t = text.strip();
    if (t.length() >= 2 && t.charAt(0) == '<' && t.charAt(t.length() - 1) == '>') {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  /** Iterative glob matching with single-star backtracking: linear in practice, no recursion. */
  private static boolean matches(String p, String s) {
    int pi = 0;
    int si = 0;
    int star = -1;
    int mark = 0;
    while (si < s.length()) {
      if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
        pi++;
        si++;
      } else if (pi < p.length() && p.charAt(pi) == '*') {
        star = pi++;
        mark = si;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') {
      pi++;
    }
    return pi == p.length();
  }
}
