package dev.smtpdouble.internal.script;

import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import java.util.List;

/** Reads the script language of SPEC §4 into {@link Rule} values. */
public final class ScriptParser {
  private ScriptParser() {}

  /**
   * Parses a script.
   *
   * @param texts one or more texts, each holding one or more lines
   * @return the rules in order
   */
  public static List<Rule> parse(String... texts) {
    throw new UnsupportedOperationException("placeholder until the parser lands");
  }

  /**
   * The error for {@link Rule#parse(String)} given a text holding zero or several rules.
   *
   * @param text the text
   * @param rules how many rules it held
   * @return the exception to throw
   */
  public static ScriptException notExactlyOne(String text, int rules) {
    throw new UnsupportedOperationException("placeholder until the parser lands");
  }
}
