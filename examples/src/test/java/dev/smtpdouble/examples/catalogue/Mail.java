package dev.smtpdouble.examples.catalogue;

import java.util.List;

/**
 * The message every client sends in the fault catalogue: plain text, one sender, one or more
 * recipients.
 *
 * @param from the sender
 * @param to the recipients, in order
 * @param subject the subject
 * @param body the text, with CRLF line ends
 */
record Mail(String from, List<String> to, String subject, String body) {

  Mail {
    to = List.copyOf(to);
  }

  /** The order confirmation to alice that most faults use. */
  static Mail standard() {
    return new Mail(
        "shop@example.test",
        List.of("alice@example.test"),
        "Order 1001 confirmed",
        "Hello Alice,\r\nyour order 1001 is on its way.\r\n");
  }

  /** The same message to alice, bob and carol. */
  static Mail toThree() {
    return new Mail(
        "shop@example.test",
        List.of("alice@example.test", "bob@example.test", "carol@example.test"),
        "Order 1001 confirmed",
        "Hello all,\r\norder 1001 is on its way.\r\n");
  }

  /** The standard message with a body of about {@code octets} octets. */
  static Mail ofSize(int octets) {
    String line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n";
    return new Mail(
        "shop@example.test",
        List.of("alice@example.test"),
        "Order 1001 confirmed",
        line.repeat(octets / line.length() + 1));
  }
}
