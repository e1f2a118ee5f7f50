package dev.smtpdouble;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text after {@code persona} in a script ({@code m365-submission with throttling limits
 * x0.001}) into a {@link Persona}: its name, then situations, a factor for its limits and limits
 * of its own, with errors that name the column and what was expected.
 */
final class PersonaSpec {
  private static final Pattern FACTOR = Pattern.compile("x([0-9]+(?:\\.[0-9]+)?)");

  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private PersonaSpec() {}

  /** A duration as persona files and specs write it (100ms, 1s, 1m, 24h), or null when it is none. */
  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  static Persona parse(String spec) {
    Words words = new Words(spec);
    if (words.size() == 0) {
      throw words.expected(0, "a persona name (" + String.join(", ", Persona.names()) + ")");
    }
    Persona persona;
    try {
      persona = Persona.named(words.get(0).toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw words.expected(0, "a persona name (" + String.join(", ", Persona.names()) + ")");
    }
    int i = 1;
    while (i < words.size()) {
      switch (words.get(i).toLowerCase(Locale.ROOT)) {
        case "with" -> {
          List<String> chosen = new ArrayList<>();
          do {
            i++;
            String situation = words.get(i).toLowerCase(Locale.ROOT);
            if (!situationNames(persona).contains(situation)) {
              throw words.expected(
                  i,
                  "a situation of " + persona.name() + " ("
                      + String.join(", ", situationNames(persona)) + ")");
            }
            chosen.add(situation);
            i++;
          } while (words.get(i).equals(","));
          persona = persona.with(chosen.toArray(String[]::new));
        }
        case "limits" -> {
          Matcher factor = FACTOR.matcher(words.get(i + 1));
          if (!factor.matches() || Double.parseDouble(factor.group(1)) <= 0) {
            throw words.expected(i + 1, "a factor such as x0.001");
          }
          persona = persona.scaledLimits(Double.parseDouble(factor.group(1)));
          i += 2;
        }
        case "limit" -> {
          String limitName = words.get(i + 1).toLowerCase(Locale.ROOT);
          Persona current = persona;
          if (current.limits().stream().noneMatch(l -> l.name().equals(limitName))) {
            throw words.expected(
                i + 1, "a limit of " + persona.name() + " (" + Persona.limitNames(persona) + ")");
          }
          int count;
          try {
            count = Integer.parseInt(words.get(i + 2));
          } catch (NumberFormatException e) {
            throw words.expected(i + 2, "the number the limit allows");
          }
          Duration window = null;
          int at = i;
          i += 3;
          if (words.get(i).equalsIgnoreCase("per")) {
            window = duration(words.get(i + 1));
            if (window == null) {
              throw words.expected(i + 1, "a duration such as 100ms, 1s or 24h");
            }
            i += 2;
          }
          try {
            persona = persona.limit(limitName, count, window);
          } catch (IllegalArgumentException e) {
            throw words.expected(at, e.getMessage());
          }
        }
        default -> throw words.expected(i, "with, limits or limit");
      }
    }
    return persona;
  }

  /** The words of a persona spec, with their columns; past the end, the empty word. */
  private static final class Words {
    private final String spec;
    private final List<String> words = new ArrayList<>();
    private final List<Integer> columns = new ArrayList<>();

    Words(String spec) {
      this.spec = spec;
      Matcher m = Pattern.compile("[^\\s,]+|,").matcher(spec);
      while (m.find()) {
        words.add(m.group());
        columns.add(m.start() + 1);
      }
    }

    int size() {
      return words.size();
    }

    String get(int i) {
      return i < words.size() ? words.get(i) : "";
    }

    ScriptException expected(int i, String expected) {
      boolean past = i >= words.size();
      return new ScriptException(
          1,
          past ? spec.length() + 1 : columns.get(i),
          past ? "end of line" : '"' + words.get(i) + '"',
          expected,
          spec);
    }
  }

  private static List<String> situationNames(Persona persona) {
    return persona.situations().stream().map(Persona.Situation::name).toList();
  }
}
