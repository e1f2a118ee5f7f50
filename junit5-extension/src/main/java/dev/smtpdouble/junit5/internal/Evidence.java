package dev.smtpdouble.junit5.internal;

import dev.smtpdouble.Action;
import dev.smtpdouble.EnhancedStatusCode;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Reply;
import dev.smtpdouble.ReplyCode;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Rule;
import dev.smtpdouble.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Evidence for people reading a failure: what a double received, what its replies mean, and its
 * transcript trimmed to a readable size. Shared by the extension (the transcript of a failed test)
 * and the assertions (what did arrive, the end of the transcript).
 *
 * <p>Trimming: a message's data shows its first {@value #DATA_HEAD} and last {@value #DATA_TAIL}
 * lines with a note of how many were left out; a line longer than {@value #LINE_WIDTH} characters
 * is cut with a note of how many characters were left out; a transcript longer than {@value
 * #MAX_LINES} lines keeps its first {@value #KEEP_START} and its last lines.
 */
public final class Evidence {
  /** Lines shown from the start of a message's data. */
  public static final int DATA_HEAD = 20;

  /** Lines shown from the end of a message's data (the last is the terminating dot). */
  public static final int DATA_TAIL = 2;

  /** The longest line shown whole. */
  public static final int LINE_WIDTH = 300;

  /** The most lines a rendered transcript has. */
  public static final int MAX_LINES = 400;

  /** Lines kept from the start of a transcript longer than {@link #MAX_LINES}. */
  public static final int KEEP_START = 100;

  private Evidence() {}

  /**
   * Names a double by its address.
   *
   * @param smtp the double
   * @return {@code "smtp-double at 127.0.0.1:40123"}
   */
  public static String where(SmtpDouble smtp) {
    return "smtp-double at " + smtp.host() + ":" + smtp.port();
  }

  /**
   * Counts messages in words.
   *
   * @param count the count
   * @return {@code "1 message"}, {@code "2 messages"}
   */
  public static String messages(int count) {
    return count + (count == 1 ? " message" : " messages");
  }

  /**
   * One line about a message: envelope, subject and the answer to its data.
   *
   * @param message the message
   * @return {@code from <a@x.test> to [b@x.test], subject "Hi", answered 250 2.0.0 Ok}
   */
  public static String summary(ReceivedMessage message) {
    return "from <"
        + message.from()
        + "> to "
        + message.recipients()
        + ", subject \""
        + message.subject()
        + "\", "
        + answer(message);
  }

  /**
   * How the double answered the end of a message's data.
   *
   * @param message the message
   * @return {@code answered 250 2.0.0 Ok}, or why there was no answer
   */
  public static String answer(ReceivedMessage message) {
    return message
        .reply()
        .map(reply -> "answered " + oneLine(reply))
        .orElse("never answered (a rule disconnected, reset or stalled the session)");
  }

  /**
   * A reply on one line, a multi-line reply's lines joined with {@code " | "}.
   *
   * @param reply the reply
   * @return the text
   */
  public static String oneLine(Reply reply) {
    return reply.toString().replace("\n", " | ");
  }

  /**
   * The messages, one per line, numbered from 1 as {@code messages()} orders them.
   *
   * @param messages the messages
   * @param indent what each line starts with
   * @return the lines, each ending with a line break; empty for no message
   */
  public static String list(List<ReceivedMessage> messages, String indent) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      out.append(indent).append('#').append(i + 1).append(' ');
      out.append(summary(messages.get(i))).append('\n');
    }
    return out.toString();
  }

  /**
   * What a reply's codes mean, from the catalogue: a line for the reply code and one for an
   * enhanced status code at the start of its text, each when the catalogue knows it.
   *
   * @param reply the reply
   * @return the lines, possibly none
   */
  public static List<String> explain(Reply reply) {
    List<String> lines = new ArrayList<>();
    ReplyCode.find(reply.code()).ifPresent(code -> lines.add(code.summary()));
    EnhancedStatusCode.fromReplyText(reply.lines().get(0))
        .ifPresent(code -> lines.add(code.summary()));
    return lines;
  }

  /**
   * What a reply code means, from the catalogue.
   *
   * @param code the reply code
   * @return the summary, or a note that the catalogue does not know the code
   */
  public static String explain(int code) {
    return ReplyCode.find(code)
        .map(ReplyCode::summary)
        .orElse(code + " is not in the reply-code catalogue");
  }

  /**
   * The transcript rendered as {@link Transcript#toString()} does, trimmed: long message data and
   * long lines are cut, a very long transcript keeps its start and its end.
   *
   * @param transcript the transcript
   * @return the lines, session header lines included
   */
  public static List<String> render(Transcript transcript) {
    return lines(transcript, null);
  }

  /**
   * The transcript trimmed as {@link #render(Transcript)} does, with the replies that matter
   * explained from the catalogue (as {@link Transcript#explained()} explains every reply): what a
   * failed test's report shows. A reply matters when it is not a 2xx, or when a rule of the test
   * sent it; the routine 250s and 221s of a session that went well get no note.
   *
   * @param transcript the transcript
   * @param scripted whether a server line is one the double's rules send ({@link
   *     #scriptedReplies(List)})
   * @return the lines, session header lines included
   */
  public static List<String> render(Transcript transcript, Predicate<String> scripted) {
    return lines(transcript, Objects.requireNonNull(scripted, "scripted"));
  }

  /** The trimmed lines; with {@code scripted} null, no reply is explained. */
  private static List<String> lines(Transcript transcript, Predicate<String> scripted) {
    List<String> out = new ArrayList<>();
    for (Transcript.Session session : transcript.sessions()) {
      out.add(session.header());
      List<Transcript.Line> lines = session.lines();
      int i = 0;
      while (i < lines.size()) {
        if (!lines.get(i).messageData()) {
          out.add(cut(lines.get(i).toString()));
          if (scripted != null && matters(lines.get(i), scripted)) {
            for (String note : lines.get(i).explanation()) {
              out.add(cut("   # " + note));
            }
          }
          i++;
          continue;
        }
        int end = i;
        while (end < lines.size() && lines.get(end).messageData()) {
          end++;
        }
        int run = end - i;
        if (run > DATA_HEAD + DATA_TAIL + 1) {
          for (int k = i; k < i + DATA_HEAD; k++) {
            out.add(cut(lines.get(k).toString()));
          }
          int left = run - DATA_HEAD - DATA_TAIL;
          out.add("   ... " + left + " lines of message data left out ...");
          for (int k = end - DATA_TAIL; k < end; k++) {
            out.add(cut(lines.get(k).toString()));
          }
        } else {
          for (int k = i; k < end; k++) {
            out.add(cut(lines.get(k).toString()));
          }
        }
        i = end;
      }
    }
    if (out.size() > MAX_LINES) {
      int keepEnd = MAX_LINES - KEEP_START;
      List<String> shortened = new ArrayList<>(out.subList(0, KEEP_START));
      shortened.add("   ... " + (out.size() - MAX_LINES) + " transcript lines left out ...");
      shortened.addAll(out.subList(out.size() - keepEnd, out.size()));
      return shortened;
    }
    return out;
  }

  private static boolean matters(Transcript.Line line, Predicate<String> scripted) {
    if (line.direction() != Transcript.Direction.SERVER) {
      return false;
    }
    int code = replyCode(line.text());
    return code > 0 && (code / 100 != 2 || scripted.test(line.text()));
  }

  /**
   * Which server lines a double's rules send: the last line of each {@code reply} action (both
   * parts of {@code reply A then B}; a reply without text is known by its code and the catalogue's
   * standard text), and each reply line of {@code send} bytes.
   *
   * @param rules the rules
   * @return a test of a server line's text, such as {@code 554 5.7.1 Rejected}
   */
  public static Predicate<String> scriptedReplies(List<Rule> rules) {
    List<Predicate<String>> tests = new ArrayList<>();
    for (Rule rule : rules) {
      for (Action action : rule.actions()) {
        if (action instanceof Action.Respond respond) {
          tests.add(sends(respond));
          respond.then().ifPresent(then -> tests.add(sends(then)));
        } else if (action instanceof Action.Send send) {
          for (String line : new String(send.bytes(), StandardCharsets.UTF_8).split("\\r?\\n")) {
            if (replyCode(line) > 0) {
              tests.add(line::equals);
            }
          }
        }
      }
    }
    return text -> tests.stream().anyMatch(test -> test.test(text));
  }

  private static Predicate<String> sends(Action.Respond respond) {
    String prefix = respond.code() + " ";
    if (!respond.texts().isEmpty()) {
      String last = prefix + respond.texts().get(respond.texts().size() - 1);
      return last::equals;
    }
    String standard = ReplyCode.find(respond.code()).map(ReplyCode::standardText).orElse("");
    return text -> text.startsWith(prefix) && text.endsWith(standard);
  }

  /** The reply code a line starts with, or 0 when it does not start with three digits. */
  private static int replyCode(String text) {
    if (text.length() < 3
        || !Character.isDigit(text.charAt(0))
        || !Character.isDigit(text.charAt(1))
        || !Character.isDigit(text.charAt(2))
        || (text.length() > 3 && text.charAt(3) != ' ' && text.charAt(3) != '-')) {
      return 0;
    }
    return Integer.parseInt(text.substring(0, 3));
  }

  private static String cut(String line) {
    if (line.length() <= LINE_WIDTH) {
      return line;
    }
    return line.substring(0, LINE_WIDTH)
        + "... ("
        + (line.length() - LINE_WIDTH)
        + " more characters)";
  }

  /**
   * The end of a double's transcript, for an assertion that timed out.
   *
   * @param smtp the double
   * @param maxLines how many lines at most
   * @return {@code "No client connected to 127.0.0.1:40123."}, or {@code "The transcript ends (1
   *     session):"} and the indented lines
   */
  public static String tail(SmtpDouble smtp, int maxLines) {
    Transcript transcript = smtp.transcript();
    int sessions = transcript.sessions().size();
    if (sessions == 0) {
      return "No client connected to " + smtp.host() + ":" + smtp.port() + ".";
    }
    List<String> lines = render(transcript);
    StringBuilder out = new StringBuilder("The transcript ends (");
    out.append(sessions).append(sessions == 1 ? " session):" : " sessions):");
    for (String line : lines.subList(Math.max(0, lines.size() - maxLines), lines.size())) {
      out.append("\n  ").append(line);
    }
    return out.toString();
  }

  /**
   * Everything about one double, for the report of a failed test: a header line with its address,
   * counts and violations, then its trimmed transcript.
   *
   * @param name which double it is, such as {@code "field smtp"}
   * @param smtp the double
   * @return the text, ending with a line break
   */
  public static String report(String name, SmtpDouble smtp) {
    Transcript transcript = smtp.transcript();
    int messageCount = smtp.messages().size();
    int violations = smtp.violations().size();
    int sessions = transcript.sessions().size();
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(name).append(": ").append(where(smtp)).append(", ");
    out.append(messages(messageCount)).append(", ");
    out.append(sessions).append(sessions == 1 ? " session, " : " sessions, ");
    out.append(violations).append(violations == 1 ? " violation" : " violations").append('\n');
    if (sessions == 0) {
      out.append("(no client connected)\n");
    }
    for (String line : render(transcript, scriptedReplies(smtp.rules()))) {
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
