package dev.smtpdouble.assertj;

import dev.smtpdouble.Transcript;
import dev.smtpdouble.junit5.internal.Evidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Transcript}: which commands the client sent, in which order, and how the
 * double answered each. Create them with {@link SmtpAssertions#assertThat(Transcript)}. A
 * transcript is a snapshot, so nothing here waits; wait for the messages first.
 *
 * <pre>{@code
 * assertThat(smtp.transcript())
 *     .containsExchange("EHLO", 250)
 *     .containsExchange("DATA", 354)
 *     .containsCommandsInOrder("EHLO", "MAIL", "RCPT", "DATA", "QUIT");
 * }</pre>
 *
 * <p>An exchange is a client command and the reply that answered it; the n-th reply of a session
 * answers its n-th command, so pipelined commands pair correctly. The greeting answers the
 * pseudo-command {@code CONNECT}, and the end of a message's data counts as {@code DATA}: after
 * {@code reply 354 then 554 after DATA} both {@code containsExchange("DATA", 354)} and {@code
 * containsExchange("DATA", 554)} hold.
 *
 * @since 0.1
 */
public class TranscriptAssert extends AbstractAssert<TranscriptAssert, Transcript> {
  private static final int LINES_SHOWN = 40;

  /**
   * Creates assertions on a transcript; {@link SmtpAssertions#assertThat(Transcript)} reads better.
   *
   * @param actual the transcript, may be null (the assertions then fail)
   */
  public TranscriptAssert(Transcript actual) {
    super(actual, TranscriptAssert.class);
  }

  /**
   * Checks that a client command with the given verb was answered with the given reply code.
   *
   * @param verb the command's verb, any case, such as {@code "DATA"}; {@code "CONNECT"} for the
   *     greeting
   * @param code the reply code, such as 354
   * @return this assertion
   * @throws AssertionError showing how the commands with that verb were answered, and what the
   *     codes mean
   */
  public TranscriptAssert containsExchange(String verb, int code) {
    isNotNull();
    String upper = verb.toUpperCase(Locale.ROOT);
    List<Exchanges.Exchange> all = Exchanges.of(actual);
    List<Exchanges.Exchange> same = new ArrayList<>();
    for (Exchanges.Exchange exchange : all) {
      if (exchange.verb().equals(upper)) {
        if (exchange.code() == code) {
          return myself;
        }
        same.add(exchange);
      }
    }
    String expected =
        "Expecting the transcript to contain "
            + describeVerb(upper)
            + " answered with:\n  "
            + Evidence.explain(code);
    if (same.isEmpty()) {
      throw failure(
          "%s\nbut %s; the exchanges were:%s",
          expected,
          upper.equals("CONNECT") ? "no client connected" : "the client never sent " + upper,
          lines(all));
    }
    StringBuilder meanings = new StringBuilder();
    same.stream()
        .mapToInt(Exchanges.Exchange::code)
        .filter(c -> c != 0)
        .distinct()
        .forEach(c -> meanings.append("\n  ").append(Evidence.explain(c)));
    throw failure(
        "%s\nbut %s:%s%s",
        expected,
        same.size() == 1
            ? describeVerb(upper) + " was answered"
            : same.size() + " " + upper + " exchanges were answered",
        lines(same),
        meanings.length() == 0 ? "" : "\nwhere:" + meanings);
  }

  /**
   * Checks that the client sent the given commands in this order, other commands possibly in
   * between, across the sessions in order.
   *
   * @param verbs the verbs, any case, such as {@code "EHLO", "MAIL", "RCPT", "DATA", "QUIT"}
   * @return this assertion
   * @throws AssertionError showing the commands sent
   */
  public TranscriptAssert containsCommandsInOrder(String... verbs) {
    isNotNull();
    List<String> commands = Exchanges.commands(actual);
    int found = 0;
    for (String command : commands) {
      if (found < verbs.length && command.equals(verbs[found].toUpperCase(Locale.ROOT))) {
        found++;
      }
    }
    if (found < verbs.length) {
      throw failure(
          "Expecting the client's commands\n  %s\nto contain, in this order:\n  %s\nbut %s"
              + " could not be found after %s",
          commands,
          Arrays.toString(verbs),
          verbs[found].toUpperCase(Locale.ROOT),
          found == 0 ? "the start" : Arrays.toString(Arrays.copyOf(verbs, found)));
    }
    return myself;
  }

  /**
   * Checks that the client never sent a command with the given verb.
   *
   * @param verb the verb, any case, such as {@code "RSET"}
   * @return this assertion
   * @throws AssertionError showing the commands sent
   */
  public TranscriptAssert doesNotContainCommand(String verb) {
    isNotNull();
    List<String> commands = Exchanges.commands(actual);
    String upper = verb.toUpperCase(Locale.ROOT);
    if (commands.contains(upper)) {
      throw failure(
          "Expecting the client's commands\n  %s\nnot to contain:\n  %s\nbut it was sent %d"
              + " time(s)",
          commands, upper, commands.stream().filter(upper::equals).count());
    }
    return myself;
  }

  /**
   * Checks that the transcript has a line rendered exactly so: {@code "C: EHLO client.test"},
   * {@code "S: 250 2.0.0 Ok"}, {@code "* ..."} for a note, {@code "! ..."} for a violation.
   *
   * @param line the rendered line, with its prefix
   * @return this assertion
   * @throws AssertionError showing the transcript (its end, when long)
   */
  public TranscriptAssert containsLine(String line) {
    isNotNull();
    for (Transcript.Line candidate : actual.lines()) {
      if (candidate.toString().equals(line)) {
        return myself;
      }
    }
    List<String> rendered = Evidence.render(actual);
    List<String> shown =
        rendered.subList(Math.max(0, rendered.size() - LINES_SHOWN), rendered.size());
    throw failure(
        "Expecting the transcript to contain the line:\n  %s\nbut it %s:%s",
        line,
        rendered.size() > LINES_SHOWN ? "ends" : "was",
        shown.isEmpty() ? "\n  (empty: no client connected)" : "\n  " + String.join("\n  ", shown));
  }

  /**
   * Checks how many sessions (connections) the transcript holds.
   *
   * @param count the number of sessions
   * @return this assertion
   * @throws AssertionError listing the sessions
   */
  public TranscriptAssert hasSessions(int count) {
    isNotNull();
    List<Transcript.Session> sessions = actual.sessions();
    if (sessions.size() != count) {
      StringBuilder list = new StringBuilder();
      sessions.forEach(session -> list.append("\n  ").append(session.header()));
      throw failure(
          "Expecting the transcript to have:\n  %d session(s)\nbut it had:\n  %d%s",
          count, sessions.size(), list);
    }
    return myself;
  }

  private static String describeVerb(String verb) {
    return verb.equals("CONNECT") ? "the greeting" : "a " + verb + " command";
  }

  private static String lines(List<Exchanges.Exchange> exchanges) {
    if (exchanges.isEmpty()) {
      return "\n  none";
    }
    StringBuilder out = new StringBuilder();
    List<Exchanges.Exchange> shown =
        exchanges.subList(Math.max(0, exchanges.size() - LINES_SHOWN), exchanges.size());
    if (shown.size() < exchanges.size()) {
      out.append("\n  ... ").append(exchanges.size() - shown.size()).append(" earlier left out");
    }
    shown.forEach(exchange -> out.append("\n  ").append(exchange));
    return out.toString();
  }
}
