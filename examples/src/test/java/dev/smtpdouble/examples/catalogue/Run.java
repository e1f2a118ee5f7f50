package dev.smtpdouble.examples.catalogue;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import java.time.Duration;
import java.util.List;

/**
 * What happened when one client met one fault: the client's side (outcome, error, time) and the
 * double's (messages, transcript, violations), taken once every session had ended.
 *
 * @param outcome what the client reported
 * @param error what it threw (for an asynchronous client: what its result failed with), or null
 * @param elapsed from the call to the client's report
 * @param port the double's port, left out of error messages
 * @param messages what the double captured
 * @param transcript the whole conversation
 * @param violations the client's protocol violations
 */
record Run(
    Outcome outcome,
    Throwable error,
    Duration elapsed,
    int port,
    List<ReceivedMessage> messages,
    Transcript transcript,
    List<Violation> violations) {

  /** What the client reported. */
  enum Outcome {
    /** It returned normally: it says the message was sent. */
    SENT("sent"),
    /** It threw, or its result failed. */
    FAILED("failed"),
    /** It said nothing within the harness's limit; the double was closed under it. */
    NO_RESULT("no result");

    private final String text;

    Outcome(String text) {
      this.text = text;
    }

    String text() {
      return text;
    }
  }

  /** The exchanges of every session, in order. */
  List<Conversation.Exchange> exchanges() {
    return transcript.sessions().stream()
        .flatMap(session -> Conversation.exchanges(session).stream())
        .toList();
  }

  /** How many commands the client sent with this verb, over all sessions. */
  long count(String verb) {
    return exchanges().stream().filter(exchange -> exchange.command().equals(verb)).count();
  }

  /** Whether some command with this verb was answered with this code. */
  boolean answered(String verb, String code) {
    return exchanges().stream()
        .anyMatch(exchange -> exchange.command().equals(verb) && exchange.reply().equals(code));
  }

  int sessions() {
    return transcript.sessions().size();
  }

  /** Whether the client tried again: a second session, or a second MAIL or AUTH in one. */
  boolean retried() {
    long logins = exchanges().stream().filter(e -> e.command().startsWith("AUTH")).count();
    return sessions() > 1 || count("MAIL") > sessions() || logins > sessions();
  }

  /** The messages the double accepted (answered 2xx at the end of the data). */
  List<ReceivedMessage> accepted() {
    return messages.stream().filter(ReceivedMessage::accepted).toList();
  }
}
