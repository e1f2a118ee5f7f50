package dev.smtpdouble.examples.catalogue;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Reply;
import dev.smtpdouble.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One row of the table: a {@link Run} rendered as stable text (no ports, no timestamps, coarse
 * times).
 *
 * @param client the client's name
 * @param outcome sent, failed or no result
 * @param error the exception, normalised, as Markdown (code spans), or an em dash
 * @param retried whether the client tried again on its own
 * @param time the coarse time bucket
 * @param captured what the double captured
 * @param conversation the sessions as the double saw them
 * @param violations the kinds of protocol violations, or an em dash
 */
record Observation(
    String client,
    String outcome,
    String error,
    String retried,
    String time,
    String captured,
    String conversation,
    String violations) {

  static final List<String> COLUMNS =
      List.of(
          "client",
          "outcome",
          "what the caller got",
          "retried?",
          "time",
          "captured by the double",
          "conversation (as the double saw it)",
          "violations");

  private static final int LONGEST_MESSAGE = 240;
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern IDENTITY = Pattern.compile("@[0-9a-f]{5,8}\\b");
  /** Jakarta Mail's Message-ID: hash, counter and time at the local host name. */
  private static final Pattern MESSAGE_ID = Pattern.compile("<-?\\d+\\.\\d+\\.\\d+@[^>\\s]*>");

  static Observation of(String client, Fault fault, Run run) {
    return new Observation(
        client,
        run.outcome().text(),
        fault.tableError(error(run)),
        retried(run),
        Buckets.of(run.elapsed()),
        captured(run.messages()),
        Conversation.render(run.transcript()),
        violations(run.violations()));
  }

  /**
   * The cell of the overview: the outcome, with the time, a retry, and a body that went out
   * although the send failed, when they say something.
   */
  String glance() {
    StringBuilder cell = new StringBuilder(outcome);
    if (!outcome.equals("sent") && !captured.equals("nothing")) {
      cell.append(", body sent");
    }
    if (!time.equals("<1 s")) {
      cell.append(", ").append(time);
    }
    if (!retried.equals("no")) {
      cell.append(", retried");
    }
    return cell.toString();
  }

  /** The row as Markdown. */
  String row() {
    List<String> cells =
        List.of(
            client,
            outcome,
            error,
            retried,
            time,
            captured,
            conversation,
            violations);
    return "| " + cells.stream().map(cell -> cell.replace("|", "\\|")).collect(Collectors.joining(" | ")) + " |";
  }

  private static String error(Run run) {
    return error(run.error(), run.port());
  }

  /**
   * What the caller got, as the table shows it: the exception and its root cause, ports masked.
   *
   * @param error what the client threw, or null
   * @param port the server's port, shown as {@code PORT}
   * @return the text, or an em dash for none
   */
  static String error(Throwable error, int port) {
    if (error == null) {
      return "—";
    }
    String text = describe(error, port);
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != error) {
      String rootText = describe(root, port);
      if (!text.contains(rootText)) {
        text = text + " ← " + rootText;
      }
    }
    return shorten(text);
  }

  private static String describe(Throwable error, int port) {
    String type = error.getClass().getSimpleName();
    if (type.isEmpty()) {
      type = error.getClass().getName();
    }
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return type;
    }
    return type + ": " + normalise(message, port);
  }

  /** No port, no timestamp, no identity hash, one line, no backticks. */
  static String normalise(String message, int port) {
    String text = message.replaceAll("\\b" + port + "\\b", "PORT");
    text = MESSAGE_ID.matcher(text).replaceAll("<MESSAGE-ID>");
    text = TIMESTAMP.matcher(text).replaceAll("TIME");
    text = IDENTITY.matcher(text).replaceAll("@HASH");
    return text.replace('`', '\'').replaceAll("\\s+", " ").trim();
  }

  private static String shorten(String text) {
    return text.length() <= LONGEST_MESSAGE ? text : text.substring(0, LONGEST_MESSAGE - 1) + "…";
  }

  private static String retried(Run run) {
    List<String> how = new ArrayList<>();
    if (run.sessions() > 1) {
      how.add(run.sessions() + " sessions");
    }
    long mails = run.count("MAIL");
    if (mails > run.sessions()) {
      how.add(mails + "× MAIL");
    }
    long logins = run.exchanges().stream().filter(e -> e.command().startsWith("AUTH")).count();
    if (logins > run.sessions()) {
      how.add(logins + "× AUTH");
    }
    return run.retried() ? "yes: " + String.join(", ", how) : "no";
  }

  private static String captured(List<ReceivedMessage> messages) {
    if (messages.isEmpty()) {
      return "nothing";
    }
    List<String> each = new ArrayList<>();
    for (ReceivedMessage message : messages) {
      String to =
          message.recipients().size() > 1
              ? " for " + message.recipients().stream().map(r -> r.substring(0, r.indexOf('@'))).collect(Collectors.joining(", "))
              : "";
      String reply = message.reply().map(Reply::code).map(Objects::toString).map(code -> "answered " + code).orElse("no reply");
      each.add("message" + to + ", " + reply + (message.encrypted() ? ", over TLS" : ""));
    }
    return messages.size() == 1 ? "1 " + each.get(0) : messages.size() + ": " + String.join("; ", each);
  }

  private static String violations(List<Violation> violations) {
    String kinds =
        violations.stream()
            .map(Violation::kind)
            .distinct()
            .sorted()
            .map(Enum::name)
            .collect(Collectors.joining(", "));
    return kinds.isEmpty() ? "—" : kinds;
  }
}
