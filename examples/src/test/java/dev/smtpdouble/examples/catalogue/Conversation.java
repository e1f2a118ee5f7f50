package dev.smtpdouble.examples.catalogue;

import dev.smtpdouble.Transcript;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session reduced to what the table shows: each command's verb with the code that answered it,
 * the double's notes that matter (TLS, scripted faults), and how the session ended. Arguments
 * (host names, addresses) are left out, so the text does not depend on the machine.
 */
final class Conversation {
  private static final Pattern FINAL_REPLY = Pattern.compile("^(\\d{3})(?: .*)?$");
  private static final Pattern CONTINUED_REPLY = Pattern.compile("^\\d{3}-.*");
  private static final Pattern DELAY = Pattern.compile("^delayed (\\d+) ms by script$");

  private Conversation() {}

  /**
   * One command and its reply. The greeting is the command {@code connect}, the end of a
   * message's data the command {@code data}; a reply that is not SMTP is {@code malformed}.
   *
   * @param command the verb (with the mechanism for AUTH)
   * @param reply the code, or {@code malformed}, or empty when the command got no reply (its
   *     data is sent without a reply of its own too: {@code data} appears only once data came)
   */
  record Exchange(String command, String reply) {
    @Override
    public String toString() {
      return reply.isEmpty() ? command : command + " " + reply;
    }
  }

  /** The exchanges of one session, in the order the client sent the commands. */
  static List<Exchange> exchanges(Transcript.Session session) {
    List<Exchange> exchanges = new ArrayList<>();
    for (Object item : items(session)) {
      if (item instanceof Pending pending) {
        exchanges.add(pending.exchange());
      }
    }
    return exchanges;
  }

  /** The session as one line: {@code connect 220, EHLO 250, MAIL 421 (closed after 421)}. */
  static String render(Transcript.Session session) {
    List<String> parts = new ArrayList<>();
    for (Object item : items(session)) {
      parts.add(item instanceof Pending pending ? pending.exchange().toString() : item.toString());
    }
    return String.join(", ", parts) + " (" + session.ending().description() + ")";
  }

  /** Every session of a transcript, numbered when there are several. */
  static String render(Transcript transcript) {
    List<Transcript.Session> sessions = transcript.sessions();
    if (sessions.isEmpty()) {
      return "no connection";
    }
    if (sessions.size() == 1) {
      return render(sessions.get(0));
    }
    List<String> rendered = new ArrayList<>();
    for (Transcript.Session session : sessions) {
      rendered.add(session.number() + ") " + render(session));
    }
    return String.join("<br>", rendered);
  }

  /** A command waiting for its reply, in its place among the items. */
  private static final class Pending {
    private final String command;
    private String reply = "";

    Pending(String command) {
      this.command = command;
    }

    Exchange exchange() {
      return new Exchange(command, reply);
    }
  }

  /**
   * Commands ({@link Pending}) and notes (strings) in order. Replies are paired with commands
   * first in, first out, which also pairs a pipelined batch correctly.
   */
  private static List<Object> items(Transcript.Session session) {
    List<Object> items = new ArrayList<>();
    Deque<Pending> awaiting = new ArrayDeque<>();
    boolean greeted = false;
    boolean dataAccepted = false;
    for (Transcript.Line line : session.lines()) {
      String text = line.text();
      switch (line.direction()) {
        case CLIENT -> {
          if (!line.messageData()) {
            Pending command = new Pending(verb(text));
            items.add(command);
            awaiting.add(command);
          } else if (dataAccepted) {
            // the first line of a message's data: its end will be answered before anything else
            Pending data = new Pending("data");
            items.add(data);
            awaiting.addFirst(data);
            dataAccepted = false;
          }
        }
        case SERVER -> {
          if (CONTINUED_REPLY.matcher(text).matches()) {
            continue;
          }
          Matcher reply = FINAL_REPLY.matcher(text);
          String code = reply.matches() ? reply.group(1) : "malformed";
          Pending answered;
          if (!greeted) {
            answered = new Pending("connect");
            items.add(answered);
          } else if (awaiting.isEmpty()) {
            answered = new Pending("unsolicited");
            items.add(answered);
          } else {
            answered = awaiting.poll();
          }
          greeted = true;
          answered.reply = code;
          dataAccepted = answered.command.equals("DATA") && code.equals("354");
        }
        case EVENT -> {
          String note = note(text);
          if (note != null) {
            items.add(note);
          }
        }
        case VIOLATION -> {
          // the table lists violations in a column of their own
        }
      }
    }
    return items;
  }

  private static String verb(String command) {
    if (command.equals("****")) {
      return "(secret)"; // an AUTH continuation line, masked by the double
    }
    if (command.isBlank()) {
      return "(empty line)";
    }
    String[] words = command.split(" ", 3);
    String verb = words[0].toUpperCase(Locale.ROOT);
    if (verb.equals("AUTH") && words.length > 1) {
      return verb + " " + words[1].toUpperCase(Locale.ROOT);
    }
    return verb;
  }

  private static String note(String event) {
    if (event.startsWith("TLS started")) {
      return "(TLS)";
    }
    if (event.startsWith("stalled by script")) {
      return "(stalled)";
    }
    Matcher delay = DELAY.matcher(event);
    if (delay.matches()) {
      return "(delayed " + Buckets.seconds(Duration.ofMillis(Long.parseLong(delay.group(1)))) + ")";
    }
    if (event.equals("idle timeout")) {
      return "(idle timeout)";
    }
    return null; // disconnect, reset, TLS failure, connection lost: the ending says it
  }
}
