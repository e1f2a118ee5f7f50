package dev.smtpdouble.examples.catalogue;

import dev.smtpdouble.SmtpDouble;
import java.time.Duration;
import java.util.List;
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
 * @param raceNote why some clients' errors vary from run to run, or empty
 * @param races sets of errors (as the table renders them) that a socket race makes
 *     interchangeable: the table shows the whole set, whichever one a run saw
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
    Consumer<Run> expectations,
    String raceNote,
    List<List<String>> races) {

  Fault {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(expectations, "expectations");
    races = races.stream().map(List::copyOf).toList();
  }

  Fault(
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
    this(id, title, question, script, server, serverNote, client, mail, upperBound, expectations, "", List.of());
  }

  /**
   * This fault with a race: {@code variants} are errors that one client reports from run to run
   * for the same behaviour, in the order the table lists them.
   */
  Fault withRace(String note, List<List<String>> variants) {
    return new Fault(
        id, title, question, script, server, serverNote, client, mail, upperBound, expectations, note, variants);
  }

  /** The error as the table shows it: the whole set of variants when it is one of them. */
  String tableError(String observed) {
    for (List<String> variants : races) {
      if (variants.contains(observed)) {
        return String.join(" **or** ", variants.stream().map(v -> "`" + v + "`").toList());
      }
    }
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
