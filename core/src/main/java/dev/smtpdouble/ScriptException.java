package dev.smtpdouble;

/**
 * A script line that is not a valid rule. The message names the line and column, what was found
 * and what was expected, and shows the line with a caret under the column:
 *
 * <pre>
 * line 1, column 7: expected a three-digit reply code (200 to 599) but found "35"
 *   reply 35 to HELP
 *         ^
 * </pre>
 *
 * @since 0.1
 */
public final class ScriptException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The 1-based line of the error. */
  private final int line;

  /** The 1-based column of the error. */
  private final int column;

  /** What stands at the column. */
  private final String found;

  /** What the language allows at the column. */
  private final String expected;

  /** The line the error is on. */
  private final String sourceLine;

  /**
   * An error at a place in a script.
   *
   * @param line the 1-based line, counted across all the texts of one script
   * @param column the 1-based column
   * @param found what stands at the column, as the user wrote it, or {@code "end of line"}
   * @param expected what the language allows there
   * @param sourceLine the whole line, without its line break
   */
  public ScriptException(int line, int column, String found, String expected, String sourceLine) {
    super(render(line, column, found, expected, sourceLine));
    this.line = line;
    this.column = column;
    this.found = found;
    this.expected = expected;
    this.sourceLine = sourceLine;
  }

  private static String render(
      int line, int column, String found, String expected, String sourceLine) {
    String caret = " ".repeat(Math.max(0, column - 1)) + "^";
    return "line "
        + line
        + ", column "
        + column
        + ": expected "
        + expected
        + " but found "
        + found
        + "\n  "
        + sourceLine
        + "\n  "
        + caret;
  }

  /**
   * The 1-based line of the error, counted across all texts of the script.
   *
   * @return the line
   */
  public int line() {
    return line;
  }

  /**
   * The 1-based column of the error.
   *
   * @return the column
   */
  public int column() {
    return column;
  }

  /**
   * What stands at the column.
   *
   * @return the text found, quoted, or {@code end of line}
   */
  public String found() {
    return found;
  }

  /**
   * What the language allows at the column.
   *
   * @return a short description, such as {@code a three-digit reply code (200 to 599)}
   */
  public String expected() {
    return expected;
  }

  /**
   * The line the error is on.
   *
   * @return the line's text
   */
  public String sourceLine() {
    return sourceLine;
  }
}
