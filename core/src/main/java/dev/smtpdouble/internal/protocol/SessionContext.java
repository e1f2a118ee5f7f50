package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Settings;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.script.RuleBook;

/** What a session needs from the double that runs it. */
public interface SessionContext {
  /**
   * The double's settings.
   *
   * @return the settings
   */
  Settings settings();

  /**
   * The double's standard replies, encoded once for its settings.
   *
   * @return the replies
   */
  StandardReplies replies();

  /**
   * The rules in force.
   *
   * @return the rule book
   */
  RuleBook rules();

  /**
   * The stateful limits of the double's persona.
   *
   * @return the limits; {@link Limits#NONE} without a persona
   */
  default Limits limits() {
    return Limits.NONE;
  }

  /**
   * Records a message, making it visible to the test. Called after its end-of-data reply has been
   * logged and before that reply is written to the client (or before the fault that replaced the
   * reply is carried out), so a client that has read the reply finds the message recorded.
   *
   * @param message the message
   */
  void messageReceived(CapturedMessage message);

  /**
   * Records a client violation and marks it in the transcript.
   *
   * @param log the session's log
   * @param lineNumber the 1-based transcript line it concerns
   * @param kind the kind
   * @param line the offending line's text, shortened
   * @param detail what the client did, or empty
   */
  void violation(SessionLog log, int lineNumber, Violation.Kind kind, String line, String detail);
}
