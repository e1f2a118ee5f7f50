package dev.smtpdouble.internal.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the argument of MAIL ({@code FROM:<path> params}) and RCPT ({@code TO:<path> params})
 * per RFC 5321 §4.1.2, leniently where real servers are lenient: spaces around the colon, a path
 * without angle brackets, a source route (which is dropped). What it let pass is kept ({@link
 * #spaced}, {@link #bracketed}) so the session can note it.
 */
final class PathArgument {
  private static final Pattern KEYWORD = Pattern.compile("[A-Z0-9][A-Z0-9-]*");
  private static final Pattern SPACES = Pattern.compile(" +");

  final String address;
  final Map<String, String> parameters;
  final String error;
  final boolean nonAscii;
  final boolean bracketed;
  /** A space before or after the colon: {@code FROM: <a@b>} (RFC 5321 §3.3 forbids it). */
  final boolean spaced;

  private PathArgument(
      String address, Map<String, String> parameters, String error, boolean nonAscii,
      boolean bracketed, boolean spaced) {
    this.address = address;
    this.parameters = parameters;
    this.error = error;
    this.nonAscii = nonAscii;
    this.bracketed = bracketed;
    this.spaced = spaced;
  }

  boolean ok() {
    return error == null;
  }

  /**
   * Parses {@code FROM:<a@b> SIZE=10} or {@code TO:<a@b>}.
   *
   * @param argument everything after the verb
   * @param keyword {@code FROM} or {@code TO}
   * @return the result; {@link #error} says what is wrong when it is not {@link #ok()}
   */
  static PathArgument parse(String argument, String keyword) {
    String arg = argument.strip();
    if (arg.length() < keyword.length()
        || !arg.regionMatches(true, 0, keyword, 0, keyword.length())) {
      return failure("expected " + keyword + ":");
    }
    int i = keyword.length();
    while (i < arg.length() && arg.charAt(i) == ' ') {
      i++;
    }
    if (i >= arg.length() || arg.charAt(i) != ':') {
      return failure("expected " + keyword + ":");
    }
    i++;
    int afterColon = i;
    while (i < arg.length() && arg.charAt(i) == ' ') {
      i++;
    }
    boolean spaced = afterColon - 1 > keyword.length() || i > afterColon;
    if (i >= arg.length()) {
      return failure("missing address");
    }
    String path;
    boolean bracketed = arg.charAt(i) == '<';
    if (bracketed) {
      int close = closingBracket(arg, i + 1);
      if (close < 0) {
        return failure("unbalanced <");
      }
      path = arg.substring(i + 1, close);
      i = close + 1;
      if (i < arg.length() && arg.charAt(i) != ' ') {
        return failure("text after >");
      }
    } else {
      int end = arg.indexOf(' ', i);
      end = end < 0 ? arg.length() : end;
      path = arg.substring(i, end);
      i = end;
    }
    String address = stripSourceRoute(path);
    if (hasBracketOutsideQuotes(address)) {
      return failure("bad address");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    String rest = arg.substring(i).strip();
    if (!rest.isEmpty()) {
      for (String token : SPACES.split(rest)) {
        int eq = token.indexOf('=');
        String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
        String value = eq < 0 ? "" : token.substring(eq + 1);
        if (!KEYWORD.matcher(key).matches() || (eq >= 0 && value.isEmpty())) {
          return failure("bad parameter " + token);
        }
        if (parameters.containsKey(key)) {
          return failure("duplicate parameter " + key);
        }
        parameters.put(key, value);
      }
    }
    boolean nonAscii = false;
    for (int k = 0; k < address.length(); k++) {
      if (address.charAt(k) > 127) {
        nonAscii = true;
        break;
      }
    }
    Map<String, String> kept =
        parameters.isEmpty() ? Map.of() : Collections.unmodifiableMap(parameters);
    return new PathArgument(address, kept, null, nonAscii, bracketed, spaced);
  }

  private static PathArgument failure(String error) {
    return new PathArgument("", Map.of(), error, false, false, false);
  }

  /** The index of the {@code >} closing a path, skipping quoted strings; -1 when there is none. */
  private static int closingBracket(String arg, int from) {
    return outsideQuotes(arg, from, ">");
  }

  /** Whether a {@code <} or {@code >} appears outside a quoted string (a quoted local part). */
  private static boolean hasBracketOutsideQuotes(String address) {
    return outsideQuotes(address, 0, "<>") >= 0;
  }

  /** The index of the first of {@code targets} outside a quoted string, from {@code from}; -1 if none. */
  private static int outsideQuotes(String text, int from, String targets) {
    boolean quoted = false;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (targets.indexOf(c) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** {@code @a,@b:user@c} becomes {@code user@c} (RFC 5321 §4.1.2 A-d-l, to be ignored). */
  private static String stripSourceRoute(String path) {
    if (path.startsWith("@")) {
      int colon = path.indexOf(':');
      if (colon > 0) {
        return path.substring(colon + 1);
      }
    }
    return path;
  }
}
