package dev.smtpdouble.assertj;

import dev.smtpdouble.Transcript;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pairs each client command of a transcript with the server reply that answered it, in the order
 * SMTP (and pipelining) pairs them: the n-th reply of a session answers its n-th command.
 *
 * <ul>
 *   <li>The greeting, a reply before any command, answers the pseudo-command {@code CONNECT}.
 *   <li>The end of a message's data (its terminating dot) counts as {@code DATA}: with {@code reply
 *       354 then 554 after DATA} the transcript holds the exchanges DATA/354 and DATA/554.
 *   <li>A BDAT command is answered after its chunk.
 *   <li>A reply with no command waiting (an extra reply sent by an {@code after} rule) answers
 *       nothing; a command the session ended before answering gets no reply.
 * </ul>
 */
final class Exchanges {
  private static final Pattern REPLY_LINE = Pattern.compile("(\\d{3})([ -]|$)(.*)");

  private Exchanges() {}

  /** A command and its reply. */
  static final class Exchange {
    private final int session;
    private final String verb;
    private final String command;
    private final int code;
    private final String reply;

    Exchange(int session, String verb, String command, int code, String reply) {
      this.session = session;
      this.verb = verb;
      this.command = command;
      this.code = code;
      this.reply = reply;
    }

    /** The verb in upper case: {@code "DATA"}, or {@code "CONNECT"} for the greeting. */
    String verb() {
      return verb;
    }

    /** The reply code; 0 when the command was never answered. */
    int code() {
      return code;
    }

    /** {@code session 1: C: DATA -> S: 354 Start mail input}. */
    @Override
    public String toString() {
      return "session "
          + session
          + ": "
          + (command == null ? "(greeting)" : "C: " + command)
          + " -> "
          + (reply == null ? "no reply" : "S: " + reply);
    }
  }

  static List<Exchange> of(Transcript transcript) {
    List<Exchange> exchanges = new ArrayList<>();
    for (Transcript.Session session : transcript.sessions()) {
      Deque<String> pending = new ArrayDeque<>();
      boolean seenClient = false;
      boolean greeted = false;
      String firstLine = null;
      for (Transcript.Line line : session.lines()) {
        if (line.direction() == Transcript.Direction.CLIENT) {
          seenClient = true;
          if (!line.messageData()) {
            pending.add(line.text());
          } else if (line.text().equals(".")) {
            pending.add(".");
          }
        } else if (line.direction() == Transcript.Direction.SERVER) {
          Matcher m = REPLY_LINE.matcher(line.text());
          if (!m.matches()) {
            continue; // raw bytes sent by a rule
          }
          if (m.group(2).equals("-")) {
            firstLine = firstLine == null ? line.text() : firstLine;
            continue;
          }
          int code = Integer.parseInt(m.group(1));
          String reply = firstLine == null ? line.text() : firstLine + " | ... | " + line.text();
          firstLine = null;
          if (!seenClient && !greeted) {
            greeted = true;
            exchanges.add(new Exchange(session.number(), "CONNECT", null, code, reply));
          } else if (!pending.isEmpty()) {
            String command = pending.poll();
            exchanges.add(new Exchange(session.number(), verb(command), command, code, reply));
          }
          greeted = true;
        }
      }
      for (String command : pending) {
        exchanges.add(new Exchange(session.number(), verb(command), command, 0, null));
      }
    }
    return exchanges;
  }

  /** The client's commands in order, as upper-case verbs; the end of data is not a command. */
  static List<String> commands(Transcript transcript) {
    List<String> verbs = new ArrayList<>();
    for (Transcript.Line line : transcript.lines()) {
      if (line.direction() == Transcript.Direction.CLIENT && !line.messageData()) {
        verbs.add(verb(line.text()));
      }
    }
    return verbs;
  }

  static String verb(String command) {
    if (command.equals(".")) {
      return "DATA";
    }
    int space = command.indexOf(' ');
    return (space < 0 ? command : command.substring(0, space)).toUpperCase(Locale.ROOT);
  }
}
