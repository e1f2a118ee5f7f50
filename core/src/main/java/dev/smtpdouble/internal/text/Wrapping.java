package dev.smtpdouble.internal.text;

import java.util.ArrayList;
import java.util.List;

/** Wraps prose to a width, for the catalogue's entries and the {@code explain} tables. */
public final class Wrapping {
  private Wrapping() {}

  /**
   * Splits a text into lines of at most {@code width} characters at whitespace; a word longer than
   * the width is cut.
   *
   * @param text the text
   * @param width the most characters a line may have
   * @return the lines, at least one
   */
  public static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.trim().split("\\s+")) {
      while (word.length() > width) {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        lines.add(word.substring(0, width));
        word = word.substring(width);
      }
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
