package dev.smtpdouble.internal.cli;

import dev.smtpdouble.EnhancedStatusCode;
import dev.smtpdouble.Persona;
import dev.smtpdouble.ReplyCode;
import dev.smtpdouble.internal.text.Wrapping;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code explain} command: prints what SMTP reply codes and enhanced status codes mean, and for
 * two or more codes a table of their differences side by side.
 *
 * <pre>
 * explain 211 354
 * explain 5.7.1
 * explain 550 5.1.1
 * </pre>
 */
public final class Explain {

  /** Exit status when every code was explained. */
  public static final int OK = 0;

  /** Exit status for a missing, malformed or unknown code. */
  public static final int USAGE = 2;

  private static final Pattern REPLY_CODE = Pattern.compile("[0-9]{3}");
  private static final Pattern ENHANCED_CODE = Pattern.compile("[0-9]\\.[0-9]{1,3}\\.[0-9]{1,3}");

  /** Total width of the side-by-side table. */
  private static final int TABLE_WIDTH = 100;

  /** At most this many codes side by side; more are spread evenly over further tables. */
  private static final int MAX_COLUMNS = 3;

  private static final String[] ROWS = {"class", "meaning", "when seen", "what to do"};
  private static final int LABEL_WIDTH = "what to do".length();
  private static final String SEPARATOR = " | ";

  private Explain() {}

  /**
   * Runs the command.
   *
   * @param args the words after {@code explain}: reply codes such as {@code 354} and enhanced
   *     status codes such as {@code 5.7.1}
   * @param out where the explanations go
   * @param err where errors go
   * @return {@link #OK}, or {@link #USAGE} when no code was given or one is malformed or unknown;
   *     then nothing is printed to {@code out}
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.println(
          "explain: no code given; usage: explain CODE..., where CODE is a three-digit reply"
              + " code like 354 or an enhanced status code like 5.7.1");
      return USAGE;
    }
    List<Entry> entries = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String arg : args) {
      String word = arg.trim();
      try {
        Entry entry = lookUp(word);
        if (seen.add(entry.key)) {
          entries.add(entry);
        }
      } catch (IllegalArgumentException e) {
        errors.add("explain: " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      errors.forEach(err::println);
      return USAGE;
    }
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.println();
      }
      printLines(out, entries.get(i).explanation);
    }
    if (entries.size() > 1) {
      out.println();
      out.println("Side by side:");
      int tables = (entries.size() + MAX_COLUMNS - 1) / MAX_COLUMNS;
      int columns = (entries.size() + tables - 1) / tables;
      for (int from = 0; from < entries.size(); from += columns) {
        out.println();
        List<Entry> group = entries.subList(from, Math.min(entries.size(), from + columns));
        printLines(out, table(group));
      }
    }
    return OK;
  }

  /** One code to explain, whichever kind it is. */
  private static final class Entry {
    final String key;
    final String title;
    final String explanation;
    final String[] cells;

    Entry(String key, String title, String explanation, String... cells) {
      this.key = key;
      this.title = title;
      this.explanation = explanation;
      this.cells = cells;
    }
  }

  private static Entry lookUp(String word) {
    if (REPLY_CODE.matcher(word).matches()) {
      int number = Integer.parseInt(word);
      ReplyCode code =
          ReplyCode.find(number)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          word
                              + " is not a known SMTP reply code (known: "
                              + knownReplyCodes()
                              + ")"));
      return new Entry(
          Integer.toString(code.code()),
          code.code() + " " + code.name(),
          code.explain() + providers(quote -> quote.reply().code() == number),
          code.replyClass().digit() + "xx " + code.replyClass().description(),
          code.meaning(),
          code.whenSeen(),
          code.whatToDo());
    }
    if (ENHANCED_CODE.matcher(word).matches()) {
      EnhancedStatusCode code;
      try {
        code = EnhancedStatusCode.of(word);
      } catch (IllegalArgumentException e) {
        // a provider's own code (Microsoft's 5.7.139): what the provider says is all there is
        String providers = providers(quote -> quote.reply().lines().get(0).startsWith(word + " "));
        if (providers.isEmpty()) {
          throw e;
        }
        return new Entry(
            word,
            word + " (a provider's own code)",
            word + " is not in RFC 3463 nor in the later registrations: a provider's own code."
                + providers,
            word.charAt(0) + ".x.x",
            "not registered; see what the providers mean by it above",
            "from the providers listed above",
            "as the providers say above");
      }
      return new Entry(
          code.code(),
          code.code() + " " + code.name(),
          code.explain()
              + providers(quote -> quote.reply().lines().get(0).startsWith(code.code() + " ")),
          code.codeClass() + ".x.x " + code.classDescription(),
          code.meaning(),
          code.whenSeen(),
          code.whatToDo());
    }
    throw new IllegalArgumentException(
        "'"
            + word
            + "' is not a code: expected a three-digit reply code like 354 or an enhanced"
            + " status code like 5.7.1");
  }

  /**
   * The persona replies with the code, each with the provider's meaning and its source, under the
   * RFC meaning: empty when no persona sends it.
   */
  private static String providers(Predicate<Persona.Quote> sends) {
    StringBuilder out = new StringBuilder();
    for (Persona persona : Persona.all()) {
      for (Persona.Quote quote : persona.replies()) {
        if (quote.reply().code() < 400 || !sends.test(quote)) {
          continue; // the providers' failures are what a reader looks up
        }
        String reply =
            persona.name() + ": " + quote.reply().code() + " "
                + String.join(" / ", quote.reply().lines());
        List<String> wrapped = Wrapping.wrap(reply, 94);
        out.append("\n  ").append(wrapped.get(0)).append('\n');
        for (String line : wrapped.subList(1, wrapped.size())) {
          out.append("      ").append(line).append('\n');
        }
        for (String line : Wrapping.wrap(quote.meaning(), 94)) {
          out.append("    ").append(line).append('\n');
        }
        for (String id : quote.sources()) {
          Persona.Source source = persona.source(id).orElseThrow();
          for (String line : Wrapping.wrap("source: " + source.title(), 94)) {
            out.append("    ").append(line).append('\n');
          }
          out.append("      <").append(source.url()).append(">\n");
        }
      }
    }
    return out.length() == 0
        ? ""
        : "\n\nWhat the providers mean by it (smtp-double personas, see docs/personas.md):"
            + out.substring(0, out.length() - 1);
  }

  private static String knownReplyCodes() {
    StringJoiner known = new StringJoiner(", ");
    ReplyCode.all().forEach(c -> known.add(Integer.toString(c.code())));
    return known.toString();
  }

  private static void printLines(PrintStream out, String text) {
    for (String line : text.split("\n", -1)) {
      out.println(line);
    }
  }

  /** The codes' key facts side by side, one column per code, cells wrapped to fit. */
  private static String table(List<Entry> group) {
    int n = group.size();
    int width = (TABLE_WIDTH - LABEL_WIDTH - n * SEPARATOR.length()) / n;
    StringBuilder out = new StringBuilder();
    String[] titles = new String[n];
    for (int c = 0; c < n; c++) {
      titles[c] = group.get(c).title;
    }
    row(out, "", titles, width);
    StringBuilder rule = new StringBuilder("-".repeat(LABEL_WIDTH));
    for (int c = 0; c < n; c++) {
      rule.append("-+-").append("-".repeat(width));
    }
    out.append(rule).append('\n');
    for (int r = 0; r < ROWS.length; r++) {
      String[] cells = new String[n];
      for (int c = 0; c < n; c++) {
        cells[c] = group.get(c).cells[r];
      }
      row(out, ROWS[r], cells, width);
    }
    return out.substring(0, out.length() - 1);
  }

  /** Appends one table row, as many lines high as its longest wrapped cell. */
  private static void row(StringBuilder out, String label, String[] cells, int width) {
    List<List<String>> wrapped = new ArrayList<>();
    int height = 1;
    for (String cell : cells) {
      List<String> lines = Wrapping.wrap(cell, width);
      wrapped.add(lines);
      height = Math.max(height, lines.size());
    }
    for (int i = 0; i < height; i++) {
      StringBuilder line = new StringBuilder(pad(i == 0 ? label : "", LABEL_WIDTH));
      for (int c = 0; c < cells.length; c++) {
        List<String> lines = wrapped.get(c);
        line.append(SEPARATOR).append(pad(i < lines.size() ? lines.get(i) : "", width));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

}
