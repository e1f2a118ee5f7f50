package dev.smtpdouble.examples.catalogue;

import dev.smtpdouble.SmtpDouble;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One fault of the catalogue: how the double misbehaves (a script line and builder settings), how
 * the client is configured, and what must hold whatever the client does.
 *
 * @param id a short stable name, the anchor of its section in the table
 * @param title the section heading
 * @param question what the section answers
 * @param script the rule in the script language, or empty
 * @param server builder settings besides the script, described by {@code serverNote}
 * @param serverNote the builder settings as the table shows them, or empty
 * @param client the client settings
 * @param mail what the client sends
 * @param upperBound the client must report within this time
 * @param expectations checks that hold for every client (the table holds the rest)
 */
record Fault(
    String id,
    String title,
    String question,
    String script,
    UnaryOperator<SmtpDouble.Builder> server,
    String serverNote,
    ClientSettings client,
    Mail mail,
    Duration upperBound,
    Consumer<Run> expectations) {

  Fault {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(expectations, "expectations");
  }

  /** The error as the table shows it. */
  String tableError(String observed) {
    return observed.equals("—") ? observed : "`" + observed + "`";
  }

  SmtpDouble start() {
    SmtpDouble.Builder builder = server.apply(SmtpDouble.builder());
    if (!script.isEmpty()) {
      builder.script(script);
    }
    return builder.start();
  }

  @Override
  public String toString() {
    return id;
  }
}
