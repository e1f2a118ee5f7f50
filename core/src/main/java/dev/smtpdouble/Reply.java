package dev.smtpdouble;

import java.util.List;
import java.util.Optional;

/**
 * A reply the double sent: its code and its text lines, exactly as on the wire (a multi-line reply
 * has several lines). {@link ReceivedMessage#reply()} holds the reply to the end of a message's
 * data.
 *
 * <pre>{@code
 * Reply reply = smtp.takeMessage(Duration.ofSeconds(5)).reply().orElseThrow();
 * assertEquals(554, reply.code());
 * }</pre>
 *
 * @param code the three-digit reply code, 200 to 599
 * @param lines the text of each line after the code and its separator; at least one (possibly
 *     empty) line
 * @since 0.1
 */
public record Reply(int code, List<String> lines) {

  /**
   * Checks the code and copies the lines.
   *
   * @param code the three-digit reply code
   * @param lines the lines
   * @throws IllegalArgumentException when the code is not 200 to 599 or there is no line
   */
  public Reply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("a reply code is 200 to 599, but was " + code);
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply has at least one line");
    }
  }

  /**
   * A one-line reply.
   *
   * @param code the code
   * @param text the text after the code
   * @return the reply
   */
  public static Reply of(int code, String text) {
    return new Reply(code, List.of(text));
  }

  /**
   * The lines joined with {@code "\n"}.
   *
   * @return the text
   */
  public String text() {
    return String.join("\n", lines);
  }

  /**
   * The RFC 3463 enhanced status code at the start of the first line, for instance {@code 5.7.1}.
   *
   * @return the code as text, or empty when the reply has none
   */
  public Optional<String> enhancedCode() {
    String first = lines.get(0);
    int end = first.indexOf(' ');
    String token = end < 0 ? first : first.substring(0, end);
    return token.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? Optional.of(token) : Optional.empty();
  }

  /**
   * Whether the code is 2xx or 3xx.
   *
   * @return true for a positive reply
   */
  public boolean isPositive() {
    return code < 400;
  }

  /**
   * The class of the code: positive completion, positive intermediate, transient or permanent
   * negative.
   *
   * @return the class
   */
  public ReplyClass replyClass() {
    return ReplyClass.of(code);
  }

  /**
   * The reply as the client read it, lines separated by {@code "\n"}: {@code 554 5.7.1 Rejected}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      out.append(i == 0 ? "" : "\n").append(code).append(i == lines.size() - 1 ? ' ' : '-');
      out.append(line);
    }
    return out.toString();
  }
}
