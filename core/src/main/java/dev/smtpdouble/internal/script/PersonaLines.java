package dev.smtpdouble.internal.script;

import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import java.util.List;

/**
 * Chooses a provider persona for a {@code persona ...} line of a script, and gives the rules to
 * start with in its place.
 */
@FunctionalInterface
public interface PersonaLines {
  /**
   * Chooses the persona a line names.
   *
   * @param spec the line's text after {@code persona}, without its comment
   * @return the rules that take the line's place
   * @throws ScriptException when the text names no valid persona (columns counted in {@code
   *     spec})
   * @throws IllegalStateException when a persona cannot be chosen here
   */
  List<Rule> persona(String spec);

  /**
   * The rules a {@code persona ...} line of a script stands for, or the error that names it.
   *
   * @param personas what to do with persona lines; null refuses them
   * @param line the line
   * @param number its number in the script
   * @param start where {@code persona} starts in it
   * @return the rules
   * @throws ScriptException when the line is refused or names no valid persona
   */
  static List<Rule> rulesOf(PersonaLines personas, String line, int number, int start) {
    if (personas == null) {
      throw new ScriptException(
          number,
          start + 1,
          "\"persona\"",
          "a rule (a persona is chosen as the double starts: SmtpDouble.builder().persona(..) or"
              + " .script(\"persona ..\"), @SmtpServer(persona = ..) or --persona)",
          line);
    }
    int from = start + 7;
    int comment = line.indexOf('#', from);
    String spec = line.substring(from, comment < 0 ? line.length() : comment);
    try {
      return personas.persona(spec);
    } catch (ScriptException e) {
      throw new ScriptException(number, from + e.column(), e.found(), e.expected(), line);
    } catch (IllegalStateException e) {
      throw new ScriptException(number, start + 1, "\"persona\"", e.getMessage(), line);
    }
  }
}
