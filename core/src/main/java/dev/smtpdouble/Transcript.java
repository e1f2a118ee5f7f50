package dev.smtpdouble;

import dev.smtpdouble.internal.capture.BlockList;
import dev.smtpdouble.internal.text.IsoInstant;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every session the double served, in order, and every line of each, in order: a snapshot taken
 * by {@link SmtpDouble#transcript()}. Lines sent later are not added to a snapshot; take a new one.
 *
 * <p>{@link #toString()} renders it for people and logs: a header line per session, then one line
 * per protocol line, client lines as {@code C: ...}, server lines as {@code S: ...}. Message data
 * appears as the client sent it (still dot-stuffed), ending with {@code C: .}. Notes by the double
 * start with {@code * } (a scripted fault, a timeout) and client violations with {@code ! }.
 *
 * <pre>
 * === session 1 from 127.0.0.1:50412 at 2026-11-28T17:20:01.123Z (client sent QUIT)
 * S: 220 localhost ESMTP
 * C: EHLO client.test
 * ...
 * </pre>
 *
 * @since 0.1
 */
public final class Transcript {
  private final List<Session> sessions;

  Transcript(List<Session> sessions) {
    this.sessions = List.copyOf(sessions);
  }

  /**
   * The sessions, oldest first.
   *
   * @return the sessions
   */
  public List<Session> sessions() {
    return sessions;
  }

  /**
   * A session by its number.
   *
   * @param number the 1-based session number, as in {@link ReceivedMessage#sessionNumber()}
   * @return the session, or empty when there is none with that number in this snapshot
   */
  public Optional<Session> session(int number) {
    for (Session session : sessions) {
      if (session.number() == number) {
        return Optional.of(session);
      }
    }
    return Optional.empty();
  }

  /**
   * Every line of every session, session by session.
   *
   * @return the lines
   */
  public List<Line> lines() {
    // in blocks: a large message has hundreds of thousands of lines, too many for one array
    BlockList<Line> all = new BlockList<>();
    for (Session session : sessions) {
      for (Line line : session.lines()) {
        all.append(line);
      }
    }
    return all;
  }

  /**
   * The transcript as text: a header line per session, then its lines.
   *
   * @return the rendering
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Session session : sessions) {
      session.appendTo(out, false);
    }
    return out.toString();
  }

  /**
   * The transcript with every server reply explained: after the last line of each reply, a line
   * starting with {@code #} gives the meaning of its code (and of its enhanced status code) from
   * the {@link ReplyCode} catalogue. For people reading a failed test's report.
   *
   * <pre>
   * S: 554 5.7.1 Message rejected as spam
   *    # 554 Transaction failed — permanent negative completion: ...
   *    # 5.7.1 Delivery not authorized, message refused — permanent failure: ...
   * </pre>
   *
   * @return the annotated rendering
   */
  public String explained() {
    StringBuilder out = new StringBuilder();
    for (Session session : sessions) {
      session.appendTo(out, true);
    }
    return out.toString();
  }

  /**
   * The explanation lines for a server line, or none when it does not end a reply.
   *
   * @param text a server line's text, such as {@code 250 2.1.0 Ok}
   * @return the code's summary and the enhanced code's summary, as far as the catalogue knows them
   */
  static List<String> explain(String text) {
    if (text.length() < 3
        || !Character.isDigit(text.charAt(0))
        || !Character.isDigit(text.charAt(1))
        || !Character.isDigit(text.charAt(2))
        || (text.length() > 3 && text.charAt(3) != ' ')) {
      return List.of();
    }
    List<String> notes = new ArrayList<>(2);
    ReplyCode.find(Integer.parseInt(text.substring(0, 3))).ifPresent(code -> notes.add(code.summary()));
    if (text.length() > 4) {
      EnhancedStatusCode.fromReplyText(text.substring(4))
          .ifPresent(code -> notes.add(code.summary()));
    }
    notes.addAll(personaNotes(text));
    return notes;
  }

  /**
   * The provider replies, of every persona, that end with this server line: for explaining a
   * transcript. A line {@code 454 Throttling failure: Maximum sending rate exceeded} gives {@code
   * ses-smtp says: More recipients per second ... (Amazon SES Developer Guide: ... <url>)}.
   *
   * @param text a server line's text, the last line of a reply
   * @return one note per persona reply it is, possibly none
   */
  private static List<String> personaNotes(String text) {
    List<String> notes = new ArrayList<>();
    if (text.length() < 4) {
      return notes;
    }
    for (Persona persona : Persona.all()) {
      for (Persona.Quote quote : persona.replies()) {
        List<String> lines = quote.reply().lines();
        String last = quote.reply().code() + " " + lines.get(lines.size() - 1);
        if (Persona.matches(List.of(last), List.of(text))) {
          Persona.Source source = persona.source(quote.sources().get(0)).orElseThrow();
          notes.add(
              persona.name() + " says: " + quote.meaning() + " (" + source.title() + " <"
                  + source.url() + ">)");
        }
      }
    }
    return notes;
  }

  /** Who wrote a line. */
  public enum Direction {
    /** Sent by the client: a command or message data. */
    CLIENT("C: "),
    /** Sent by the double: a reply or raw bytes. */
    SERVER("S: "),
    /** A note by the double, not bytes on the wire: a scripted fault, a timeout, a close. */
    EVENT("* "),
    /** A client violation of the protocol noticed on the line before. */
    VIOLATION("! ");

    private final String prefix;

    Direction(String prefix) {
      this.prefix = prefix;
    }

    /**
     * How lines in this direction start in the rendering: {@code "C: "}, {@code "S: "}, {@code "*
     * "} or {@code "! "}.
     *
     * @return the prefix
     */
    public String prefix() {
      return prefix;
    }
  }

  /** How a session ended. */
  public enum Ending {
    /** Still open when the snapshot was taken. */
    OPEN("open"),
    /** The client sent QUIT and the double answered 221. */
    QUIT("client sent QUIT"),
    /** The client closed the connection without QUIT. */
    CLIENT_CLOSED("client closed the connection without QUIT"),
    /** The connection broke (the client reset it, or an I/O error). */
    CONNECTION_LOST("connection lost"),
    /** The client was idle longer than the idle timeout; the double answered 421 and closed. */
    IDLE_TIMEOUT("idle timeout"),
    /** The double sent a 421 reply (scripted or its own) and closed. */
    CLOSED_AFTER_421("closed after 421"),
    /** A {@code disconnect} rule closed the connection. */
    SCRIPT_DISCONNECT("disconnected by script"),
    /** A {@code reset} rule aborted the connection. */
    SCRIPT_RESET("reset by script"),
    /** The double was closed while the session was open (a stalled session ends this way). */
    DOUBLE_CLOSED("double closed"),
    /** The session limit was reached; the double answered 421 and closed. */
    SESSION_LIMIT("too many sessions"),
    /**
     * The client stopped reading the replies: a write was blocked longer than the idle timeout,
     * and the double closed the connection.
     */
    WRITE_TIMEOUT("write timeout: the client stopped reading"),
    /** The TLS handshake failed (or a {@code tls-fail} rule made it fail). */
    TLS_FAILED("TLS handshake failed");

    private final String description;

    Ending(String description) {
      this.description = description;
    }

    /**
     * A few words for people, as in the session header line.
     *
     * @return the description
     */
    public String description() {
      return description;
    }
  }

  /**
   * One line of a session: who wrote it, its text, and when.
   *
   * @param direction client, server, event or violation
   * @param text the line without its line break; bytes that are not printable UTF-8 text (a bare
   *     CR, a NUL, invalid UTF-8) appear as {@code \r}, {@code \x00} escapes, and a backslash as
   *     {@code \\}, so that every escape is unambiguous
   * @param time when the double read or wrote it
   * @param messageData whether the line is part of a message's data (after DATA, or a BDAT chunk)
   */
  public record Line(Direction direction, String text, Instant time, boolean messageData) {
    /**
     * Checks the parts.
     *
     * @param direction who wrote it
     * @param text the text
     * @param time when
     * @param messageData whether it is message data
     */
    public Line {
      if (direction == null || text == null || time == null) {
        throw new NullPointerException("direction, text and time are required");
      }
    }

    /**
     * What the catalogue says about a server line that ends a reply: the summary of its reply code
     * and of its enhanced status code, as {@link Transcript#explained()} shows them.
     *
     * @return the notes; empty for other lines and for codes the catalogue does not know
     */
    public List<String> explanation() {
      return direction == Direction.SERVER ? explain(text) : List.of();
    }

    /**
     * The line as rendered: {@code "C: EHLO client.test"}.
     *
     * @return the rendering
     */
    @Override
    public String toString() {
      return direction.prefix() + text;
    }
  }

  /** One connection from its greeting to its end: a snapshot. */
  public static final class Session {
    private final int number;
    private final InetSocketAddress remote;
    private final Instant startedAt;
    private final Instant endedAt;
    private final Ending ending;
    private Supplier<List<Line>> decoder;
    private List<Line> lines;

    /** A session as its log stood, its lines decoded when first asked for. */
    Session(
        int number,
        InetSocketAddress remote,
        Instant startedAt,
        Instant endedAt,
        Ending ending,
        Supplier<List<Line>> decoder) {
      this.number = number;
      this.remote = remote;
      this.startedAt = startedAt;
      this.endedAt = endedAt;
      this.ending = ending;
      this.decoder = decoder;
    }

    /**
     * The 1-based number of the session in the double's life (restarting after {@link
     * SmtpDouble#reset()}).
     *
     * @return the number
     */
    public int number() {
      return number;
    }

    /**
     * The client's address and port.
     *
     * @return the remote address
     */
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    /**
     * When the connection was accepted.
     *
     * @return the start time
     */
    public Instant startedAt() {
      return startedAt;
    }

    /**
     * When the session ended.
     *
     * @return the end time, or empty while it is open
     */
    public Optional<Instant> endedAt() {
      return Optional.ofNullable(endedAt);
    }

    /**
     * How the session ended.
     *
     * @return the ending; {@link Ending#OPEN} while it is open
     */
    public Ending ending() {
      return ending;
    }

    /**
     * The lines in order.
     *
     * @return the lines
     */
    public synchronized List<Line> lines() {
      if (lines == null) {
        lines = decoder.get();
        decoder = null;
      }
      return lines;
    }

    /**
     * The header line of this session in the rendering, without a line break: {@code === session
     * 1 from 127.0.0.1:50412 at ... (client sent QUIT)}.
     *
     * @return the header
     */
    public String header() {
      InetSocketAddress remote = remoteAddress();
      String host = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
      if (host.indexOf(':') >= 0) {
        host = "[" + host + "]";
      }
      // rendered for every session: no general formatter
      StringBuilder out = new StringBuilder(96);
      out.append("=== session ").append(number()).append(" from ").append(host).append(':');
      out.append(remote.getPort()).append(" at ");
      return IsoInstant.appendTo(out, startedAt())
          .append(" (")
          .append(ending().description())
          .append(')')
          .toString();
    }

    void appendTo(StringBuilder out, boolean explained) {
      out.append(header()).append('\n');
      for (Line line : lines()) {
        out.append(line.direction().prefix()).append(line.text()).append('\n');
        if (explained && line.direction() == Direction.SERVER) {
          for (String note : explain(line.text())) {
            out.append("   # ").append(note).append('\n');
          }
        }
      }
    }

    /**
     * This session with every server reply explained, as {@link Transcript#explained()} does.
     *
     * @return the annotated rendering
     */
    public String explained() {
      StringBuilder out = new StringBuilder();
      appendTo(out, true);
      return out.toString();
    }

    /**
     * The header line and every line of the session.
     *
     * @return the rendering
     */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      appendTo(out, false);
      return out.toString();
    }
  }

  static Transcript of(List<Session> sessions) {
    return new Transcript(sessions);
  }
}
