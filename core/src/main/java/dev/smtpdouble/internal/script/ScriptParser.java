package dev.smtpdouble.internal.script;

import dev.smtpdouble.Action;
import dev.smtpdouble.Count;
import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the script language of SPEC §4 into {@link Rule} values.
 *
 * <pre>
 * rule     := actions ("to" | "after") trigger [pattern] [count]
 * actions  := action ("," action)*
 * action   := "reply" code text* ["then" code text*] | "send" text
 *           | word [duration | number]     (the other words and arguments of Action.Kind)
 * count    := "once" | N "times" | "on" ordinal
 * </pre>
 *
 * <p>One rule a line; {@code #} outside quotes starts a comment. Keywords are case-insensitive.
 * Every malformed line is reported as a {@link ScriptException} naming the leftmost place the line
 * stops making sense; no other exception leaves {@link #parse(String...)}.
 *
 * <p>Each action word maps to a reader of its arguments in one table ({@code ACTIONS}): a new
 * action is one entry there plus a method reading its arguments.
 */
public final class ScriptParser {

  /** Reads an action's arguments, its word already consumed, and builds the action. */
  @FunctionalInterface
  private interface ActionReader {
    Action read(LineParser in);
  }

  /** The actions by their (lower-case) word, in the order error messages list them. */
  private static final Map<String, ActionReader> ACTIONS = actionTable();

  private static final String EXPECTED_ACTION = "an action (" + listed(ACTIONS.keySet()) + ")";
  private static final String EXPECTED_CODE = "a three-digit reply code (200 to 599)";
  private static final String EXPECTED_NUMBER = "a whole number from 1 to 999999999";
  private static final String EXPECTED_DURATION = Durations.EXPECTED;
  private static final String EXPECTED_TRIGGER = "a trigger (CONNECT or a verb such as MAIL)";
  private static final String EXPECTED_COUNT = "a count (once, N times or on Nth)";
  private static final String EXPECTED_END = "end of line or a # comment";
  private static final String EXPECTED_ORDINAL = "an ordinal such as 1st, 2nd or 3rd";
  private static final String END_OF_LINE = "end of line";

  /** The same shape {@link Rule} accepts for a trigger. */
  private static final Pattern VERB = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  private ScriptParser() {}

  /** One reader per kind of action, by the shape of its argument: a new kind needs no code here. */
  private static Map<String, ActionReader> actionTable() {
    Map<String, ActionReader> table = new LinkedHashMap<>();
    for (Action.Kind kind : Action.Kind.values()) {
      ActionReader reader =
          switch (kind.argument()) {
            case REPLY -> LineParser::readReply;
            case BYTES -> LineParser::readSend;
            case NONE -> in -> kind.of(0);
            case DURATION -> in -> kind.of(in.readMillis());
            case NUMBER -> in -> kind.of(in.readNumber());
          };
      table.put(kind.word(), reader);
    }
    return Collections.unmodifiableMap(table);
  }

  /**
   * Parses a script: one rule a line, blank lines and {@code #} comments skipped.
   *
   * @param texts one or more texts, each holding one or more lines (split on {@code \n}, {@code
   *     \r\n} or {@code \r}); line numbers count across all of them
   * @return the rules in order
   * @throws ScriptException at the first malformed rule, naming its line and column
   */
  public static List<Rule> parse(String... texts) {
    return parse(null, texts);
  }

  /**
   * Parses a script that may choose a provider persona with a {@code persona NAME ...} line.
   *
   * @param personas what to do with persona lines; null refuses them (a running double's rules)
   * @param texts the script, as for {@link #parse(String...)}
   * @return the rules in order, a persona line's rules in its place
   * @throws ScriptException at the first malformed line
   */
  public static List<Rule> parse(PersonaLines personas, String... texts) {
    List<Rule> rules = new ArrayList<>();
    int number = 0;
    for (String text : texts) {
      for (String line : lines(Objects.requireNonNull(text, "text"))) {
        number++;
        int start = skipBlanks(line, 0);
        if (line.regionMatches(true, start, "persona", 0, 7)
            && (start + 7 == line.length() || isBlank(line.charAt(start + 7)))) {
          rules.addAll(PersonaLines.rulesOf(personas, line, number, start));
          continue;
        }
        Rule rule = new LineParser(line, number).rule();
        if (rule != null) {
          rules.add(rule);
        }
      }
    }
    return List.copyOf(rules);
  }

  /**
   * The error for {@link Rule#parse(String)} given a text holding zero or several rules. With none
   * it points at line 1, column 1; with several, at the start of the second rule.
   *
   * @param text the text, which {@link #parse(String...)} read without error
   * @param rules how many rules it held
   * @return the exception to throw
   * @throws IllegalArgumentException when {@code rules} is 1, which is not an error
   */
  public static ScriptException notExactlyOne(String text, int rules) {
    if (rules == 1) {
      throw new IllegalArgumentException("one rule is exactly one");
    }
    List<String> lines = lines(text);
    if (rules == 0) {
      String first = lines.get(0);
      int start = skipBlanks(first, 0);
      String found =
          start < first.length() && first.charAt(start) == '#'
              ? quoted(first.substring(start))
              : END_OF_LINE;
      return new ScriptException(1, 1, found, "a rule", first);
    }
    int seen = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int start = skipBlanks(line, 0);
      if (start < line.length() && line.charAt(start) != '#' && ++seen == 2) {
        return new ScriptException(
            i + 1, start + 1, quoted(ruleText(line, i + 1)), "exactly one rule", line);
      }
    }
    return new ScriptException(1, 1, END_OF_LINE, "exactly one rule", lines.get(0));
  }

  /** A line's rule without blanks around it and without its comment. */
  private static String ruleText(String line, int number) {
    int start = skipBlanks(line, 0);
    int end = line.length();
    try {
      LineParser lexer = new LineParser(line, number);
      Token token = lexer.next();
      while (!token.isLast()) {
        token = lexer.next();
      }
      end = token.start();
    } catch (ScriptException e) {
      // not a line parse() accepted; show all of it
    }
    while (end > start && isBlank(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(start, end);
  }

  /** The lines of a text; a final line break ends the last line rather than starting one. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(LINE_BREAK.split(text, -1)));
    if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  private static String listed(Iterable<String> words) {
    List<String> all = new ArrayList<>();
    words.forEach(all::add);
    int last = all.size() - 1;
    return last == 0
        ? all.get(0)
        : String.join(", ", all.subList(0, last)) + " or " + all.get(last);
  }

  private static String quoted(String text) {
    return '"' + text + '"';
  }

  /** The blanks of Java's {@code \s}, which is also what {@link Rule} quotes patterns on. */
  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r' || c == '\n';
  }

  private static int skipBlanks(String text, int from) {
    int i = from;
    while (i < text.length() && isBlank(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int leadingDigits(String text) {
    int i = 0;
    while (i < text.length() && isDigit(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean allDigits(String text) {
    return !text.isEmpty() && leadingDigits(text) == text.length();
  }

  /** Lower case for ASCII letters only, so that no other character folds onto a keyword. */
  private static String asciiLower(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return out.toString();
  }

  /** The English ordinal suffix of a positive number: st, nd, rd or th. */
  private static String ordinalSuffix(int n) {
    int lastTwo = n % 100;
    if (lastTwo >= 11 && lastTwo <= 13) {
      return "th";
    }
    return switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
  }

  /** What the lexer cuts a line into. */
  private enum Kind {
    /** A run of characters other than blanks, {@code "}, {@code #} and {@code ,}. */
    WORD,
    /** A double-quoted text, quotes and escapes included as written. */
    QUOTED,
    /** A comma between actions. */
    COMMA,
    /** From {@code #} to the end of the line; ends the tokens. */
    COMMENT,
    /** The end of the line; ends the tokens. */
    END
  }

  /**
   * A token of a line.
   *
   * @param kind what it is
   * @param start the 0-based index of its first character in the line
   * @param text the token as written
   */
  private record Token(Kind kind, int start, String text) {
    boolean isLast() {
      return kind == Kind.COMMENT || kind == Kind.END;
    }

    /** The token for an error message: as written, in double quotes, or {@code end of line}. */
    String found() {
      return kind == Kind.END ? END_OF_LINE : quoted(text);
    }
  }

  /** Cuts one line into tokens on demand and reads its rule. */
  private static final class LineParser {
    private final String line;
    private final int number;
    private final List<Token> tokens = new ArrayList<>();
    private int scanned;
    private int cursor;

    /** The first {@code then} of the line, checked once the trigger is known. */
    private Token firstThen;

    /** What else the last action would have taken where its arguments stopped. */
    private String moreForLast = "";

    LineParser(String line, int number) {
      this.line = line;
      this.number = number;
    }

    // ---- the rule ----

    /** The line's rule, or null for a blank or comment-only line. */
    Rule rule() {
      if (peek(0).isLast()) {
        return null;
      }
      List<Action> actions = new ArrayList<>();
      while (true) {
        actions.add(action());
        Token token = peek(0);
        if (token.kind() == Kind.COMMA) {
          next();
        } else if (isKeyword(token, "to") || isKeyword(token, "after")) {
          break;
        } else {
          throw error(token, moreForLast + "\"to\" or \"after\" (or \",\" and another action)");
        }
      }
      Rule.Phase phase = isKeyword(next(), "to") ? Rule.Phase.TO : Rule.Phase.AFTER;

      Token trigger = next();
      if (trigger.kind() != Kind.WORD || !VERB.matcher(trigger.text()).matches()) {
        throw error(trigger, EXPECTED_TRIGGER);
      }
      if (firstThen != null
          && !trigger.text().equalsIgnoreCase("DATA")
          && !trigger.text().equalsIgnoreCase("BDAT")) {
        throw error(firstThen, "the end of the reply (\"then\" is only for DATA and BDAT)");
      }

      String pattern = null;
      Count count = Count.always();
      if (countAhead()) {
        count = count();
      } else if (!peek(0).isLast()) {
        pattern = pattern();
        if (!peek(0).isLast()) {
          count = count();
        }
      }
      Token end = peek(0);
      if (!end.isLast()) {
        throw error(end, EXPECTED_END);
      }
      try {
        return new Rule(actions, phase, trigger.text(), pattern, count);
      } catch (IllegalArgumentException e) {
        throw error(trigger, "a valid rule (" + e.getMessage() + ")");
      }
    }

    private Action action() {
      Token word = next();
      ActionReader reader = word.kind() == Kind.WORD ? ACTIONS.get(asciiLower(word.text())) : null;
      if (reader == null) {
        throw error(word, EXPECTED_ACTION);
      }
      moreForLast = "";
      try {
        return reader.read(this);
      } catch (ScriptException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw error(word, "a valid action (" + e.getMessage() + ")");
      }
    }

    // ---- actions ----

    Action readReply() {
      int code = code(next());
      List<String> texts = replyTexts();
      Optional<Action.Respond> then = Optional.empty();
      Token token = peek(0);
      if (isKeyword(token, "then")) {
        next();
        if (firstThen == null) {
          firstThen = token;
        }
        int thenCode = code(next());
        then = Optional.of(new Action.Respond(thenCode, replyTexts(), Optional.empty()));
        Token again = peek(0);
        if (isKeyword(again, "then")) {
          throw error(again, "the end of the reply (a reply has at most one \"then\")");
        }
        moreForLast = "a quoted reply text, ";
      } else {
        moreForLast = "a quoted reply text, \"then\", ";
      }
      return new Action.Respond(code, texts, then);
    }

    long readMillis() {
      Token token = next();
      if (token.kind() != Kind.WORD) {
        throw error(token, EXPECTED_DURATION);
      }
      try {
        return Durations.parse(token.text()).toMillis();
      } catch (IllegalArgumentException e) {
        throw error(token, e.getMessage());
      }
    }

    long readNumber() {
      Token token = next();
      String text = token.text();
      if (token.kind() != Kind.WORD || text.isEmpty() || !allDigits(text) || text.length() > 9) {
        throw error(token, EXPECTED_NUMBER);
      }
      long number = Long.parseLong(text);
      if (number < 1) {
        throw error(token, EXPECTED_NUMBER);
      }
      return number;
    }

    Action readSend() {
      Token token = next();
      if (token.kind() != Kind.QUOTED) {
        throw error(token, "a quoted text of the bytes to send, such as \"250 ok\\r\\n\"");
      }
      return new Action.Send(bytes(token));
    }

    private int code(Token token) {
      String text = token.text();
      if (token.kind() == Kind.WORD && text.length() == 3 && allDigits(text)) {
        int code = Integer.parseInt(text);
        if (code >= 200 && code <= 599) {
          return code;
        }
      }
      throw error(token, EXPECTED_CODE);
    }

    private List<String> replyTexts() {
      List<String> texts = new ArrayList<>();
      while (peek(0).kind() == Kind.QUOTED) {
        Token token = next();
        String text = text(token);
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
          throw error(token, "a reply text without CR or LF (give one text per line)");
        }
        texts.add(text);
      }
      return texts;
    }

    // ---- pattern and count ----

    /** Whether the tokens after the trigger start a count rather than a pattern. */
    private boolean countAhead() {
      Token token = peek(0);
      if (isKeyword(token, "once")) {
        return true;
      }
      if (isKeyword(token, "on")) {
        Token ordinal = peek(1);
        return ordinal.kind() == Kind.WORD && leadingDigits(ordinal.text()) > 0;
      }
      return token.kind() == Kind.WORD && allDigits(token.text()) && isKeyword(peek(1), "times");
    }

    private String pattern() {
      Token token = next();
      if (token.kind() == Kind.WORD) {
        return token.text();
      }
      if (token.kind() != Kind.QUOTED) {
        throw error(token, "a pattern, " + EXPECTED_COUNT + " or end of line");
      }
      String pattern = text(token);
      if (pattern.isEmpty()) {
        throw error(token, "a non-empty pattern (leave it out to match every command)");
      }
      if (pattern.indexOf('\r') >= 0 || pattern.indexOf('\n') >= 0) {
        throw error(token, "a pattern without CR or LF");
      }
      return pattern;
    }

    private Count count() {
      Token token = next();
      if (isKeyword(token, "once")) {
        return Count.once();
      }
      if (isKeyword(token, "on")) {
        Token ordinal = next();
        int digits = ordinal.kind() == Kind.WORD ? leadingDigits(ordinal.text()) : 0;
        if (digits == 0) {
          throw error(ordinal, EXPECTED_ORDINAL);
        }
        int n =
            number(
                ordinal,
                ordinal.text().substring(0, digits),
                "an ordinal from 1st to 2147483647th");
        String suffix = ordinalSuffix(n);
        if (!asciiLower(ordinal.text().substring(digits)).equals(suffix)) {
          throw error(ordinal, quoted(n + suffix));
        }
        return Count.nth(n);
      }
      if (token.kind() == Kind.WORD && allDigits(token.text())) {
        int n = number(token, token.text(), "a number of times from 1 to " + Integer.MAX_VALUE);
        Token times = next();
        if (!isKeyword(times, "times")) {
          throw error(times, "\"times\"");
        }
        return Count.times(n);
      }
      throw error(token, EXPECTED_COUNT);
    }

    /** A positive int from ASCII digits, or the error at the token. */
    private int number(Token token, String digits, String expected) {
      String significant = digits.replaceFirst("^0+(?=.)", "");
      if (significant.length() > 10) {
        throw error(token, expected); // far too large: no need to parse all of it
      }
      BigInteger n = new BigInteger(significant);
      if (n.signum() <= 0 || n.bitLength() > 31) {
        throw error(token, expected);
      }
      return n.intValue();
    }

    // ---- quoted texts ----

    /** A reply text or pattern: the escapes are {@code \" \\ \t}. */
    private String text(Token token) {
      String raw = token.text();
      int close = raw.length() - 1;
      StringBuilder out = new StringBuilder(close);
      for (int i = 1; i < close; i++) {
        char c = raw.charAt(i);
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char escaped = raw.charAt(++i);
        switch (escaped) {
          case '"', '\\' -> out.append(escaped);
          case 't' -> out.append('\t');
          default -> throw badEscape(token, i - 1, "an escape (\\\", \\\\ or \\t)");
        }
      }
      return out.toString();
    }

    /** A send text: the escapes are {@code \r \n \t \\ \" \xHH}, other characters UTF-8. */
    private byte[] bytes(Token token) {
      String raw = token.text();
      int close = raw.length() - 1;
      ByteArrayOutputStream out = new ByteArrayOutputStream(close);
      for (int i = 1; i < close; i++) {
        char c = raw.charAt(i);
        if (c == '\\') {
          char escaped = raw.charAt(i + 1);
          switch (escaped) {
            case 'r' -> out.write('\r');
            case 'n' -> out.write('\n');
            case 't' -> out.write('\t');
            case '\\', '"' -> out.write(escaped);
            case 'x' -> {
              if (i + 3 >= close
                  || !isHexDigit(raw.charAt(i + 2))
                  || !isHexDigit(raw.charAt(i + 3))) {
                throw error(
                    token.start() + i,
                    quoted(raw.substring(i, Math.min(i + 4, close))),
                    "\\x and two hex digits, such as \\x0D");
              }
              out.write(Integer.parseInt(raw.substring(i + 2, i + 4), 16));
              i += 2;
            }
            default -> throw badEscape(token, i, "an escape (\\r, \\n, \\t, \\\\, \\\" or \\xHH)");
          }
          i++;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < close
            && Character.isLowSurrogate(raw.charAt(i + 1))) {
          out.writeBytes(raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
          i++;
        } else if (Character.isSurrogate(c)) {
          throw error(
              token.start() + i, quoted(String.valueOf(c)), "a whole character (half a pair here)");
        } else {
          out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
      }
      return out.toByteArray();
    }

    /** An unknown escape at {@code at} (index in the token): the backslash and what follows. */
    private ScriptException badEscape(Token token, int at, String expected) {
      String raw = token.text();
      int end = at + 1 + Character.charCount(raw.codePointAt(at + 1));
      return error(token.start() + at, quoted(raw.substring(at, end)), expected);
    }

    // ---- tokens ----

    private boolean isKeyword(Token token, String keyword) {
      return token.kind() == Kind.WORD && asciiLower(token.text()).equals(keyword);
    }

    Token peek(int ahead) {
      while (tokens.size() <= cursor + ahead) {
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isLast()) {
          return tokens.get(tokens.size() - 1);
        }
        tokens.add(scan());
      }
      return tokens.get(cursor + ahead);
    }

    Token next() {
      Token token = peek(0);
      if (!token.isLast()) {
        cursor++;
      }
      return token;
    }

    private Token scan() {
      int length = line.length();
      int start = skipBlanks(line, scanned);
      if (start >= length) {
        scanned = length;
        return new Token(Kind.END, length, "");
      }
      char c = line.charAt(start);
      int end;
      Kind kind;
      if (c == '#') {
        kind = Kind.COMMENT;
        end = length;
      } else if (c == ',') {
        kind = Kind.COMMA;
        end = start + 1;
      } else if (c == '"') {
        kind = Kind.QUOTED;
        end = closingQuote(start) + 1;
      } else {
        kind = Kind.WORD;
        end = start;
        while (end < length && !endsWord(line.charAt(end))) {
          end++;
        }
      }
      scanned = end;
      return new Token(kind, start, line.substring(start, end));
    }

    private static boolean endsWord(char c) {
      return isBlank(c) || c == '"' || c == '#' || c == ',';
    }

    /** The index of the quote closing the text opened at {@code open}; escapes are skipped. */
    private int closingQuote(int open) {
      int i = open + 1;
      while (i < line.length()) {
        char c = line.charAt(i);
        if (c == '"') {
          return i;
        }
        i += c == '\\' ? 2 : 1;
      }
      throw error(open, END_OF_LINE, "a closing \" for the text that starts here");
    }

    // ---- errors ----

    private ScriptException error(Token token, String expected) {
      return error(token.start(), token.found(), expected);
    }

    private ScriptException error(int index, String found, String expected) {
      return new ScriptException(number, index + 1, found, expected, line);
    }
  }
}
