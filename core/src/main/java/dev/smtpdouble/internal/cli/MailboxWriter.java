package dev.smtpdouble.internal.cli;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Transcript.Direction;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.DataRecord;
import dev.smtpdouble.internal.capture.Escaping;
import dev.smtpdouble.internal.capture.SessionLog;
import dev.smtpdouble.internal.text.IsoInstant;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The {@code --mailbox} folder: each received message as {@code 000001.eml}, {@code 000002.eml},
 * ... (written under a temporary name and renamed before the client can read the reply, so a file
 * with that name is always complete), the transcript as {@code transcript.log} and violations as
 * {@code violations.log}, both written as things happen by a writer thread (see {@link LiveFile}).
 * On a clean stop the transcript is regrouped into exactly the rendering of {@link
 * Transcript#toString()} (see {@link TranscriptRegroup}).
 *
 * <p>The folder must be new or empty: a folder from an earlier run is refused rather than mixed
 * with or overwritten. File names come from a counter only: nothing a client sends can choose a
 * path. Nothing is kept in memory once written.
 */
final class MailboxWriter implements SmtpDouble.Listener, SessionLog.Listener, AutoCloseable {
  private final Path folder;
  private final PrintStream console;
  private final LiveFile transcript;
  private final LiveFile violations;
  private static final byte[] NONE = {};
  private static final byte[] DOT = {'.'};
  private static final byte[] NEWLINE = {'\n'};
  private static final byte[][] PREFIXES = new byte[Direction.values().length][];

  static {
    for (Direction direction : Direction.values()) {
      PREFIXES[direction.ordinal()] = direction.prefix().getBytes(StandardCharsets.UTF_8);
    }
  }

  private final AtomicInteger messages = new AtomicInteger();
  /** The open sessions' lines not yet in transcript.log. */
  private final ConcurrentHashMap<Integer, SessionText> open = new ConcurrentHashMap<>();
  /** Held while text goes into transcript.log: one session's turn at a time. */
  private final ReentrantLock order = new ReentrantLock();
  /** The session whose lines the transcript shows last (under {@link #order}), or 0. */
  private int lastSession;

  /**
   * Held while a message file is created, written and renamed: one session at a time changes the
   * folder. The kernel serializes those changes anyway (they take the folder's lock), but threads
   * waiting for it there spin on the processor; waiting here, they sleep and leave it to the
   * clients.
   */
  private final ReentrantLock files = new ReentrantLock();

  /** The folder holds files already; the message names a few. */
  static final class NotEmpty extends IOException {
    private static final long serialVersionUID = 1L;

    NotEmpty(String message) {
      super(message);
    }
  }

  MailboxWriter(Path folder, PrintStream console) throws IOException {
    this(folder, console, "violations.log");
  }

  /** With another name for the violations file: tests make it fail to open. */
  MailboxWriter(Path folder, PrintStream console, String violationsName) throws IOException {
    this.folder = folder;
    this.console = console;
    Files.createDirectories(folder);
    refuseIfNotEmpty(folder);
    Path transcriptFile = folder.resolve("transcript.log");
    this.transcript = new LiveFile(transcriptFile, this::writeFailed, this::gather);
    try {
      this.violations = new LiveFile(folder.resolve(violationsName), this::writeFailed);
    } catch (IOException | RuntimeException e) {
      // neither the first file's writer thread nor the file itself may outlive the failure
      try {
        transcript.close();
        Files.deleteIfExists(transcriptFile);
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static void refuseIfNotEmpty(Path folder) throws IOException {
    List<String> names = new ArrayList<>();
    long count;
    try (Stream<Path> entries = Files.list(folder)) {
      count =
          entries
              .peek(p -> {
                    if (names.size() < 3) {
                      names.add(p.getFileName().toString());
                    }
                  })
              .count();
    }
    if (count > 0) {
      names.sort(null);
      throw new NotEmpty(
          "the folder is not empty (it holds "
              + String.join(", ", names)
              + (count > names.size() ? " and " + (count - names.size()) + " more" : "")
              + "): give a new or empty folder; the double neither overwrites nor mixes runs");
    }
  }

  private void writeFailed(Path file, IOException problem) {
    console.println("smtp-double: cannot write " + file + ": " + problem.getMessage());
  }

  @Override
  public void sessionStarted(Transcript.Session session) {
    SessionText text = new SessionText(session.number());
    text.add(session.header().getBytes(StandardCharsets.UTF_8));
    open.put(session.number(), text);
  }

  @Override
  public void line(SessionLog log, Direction direction, byte[] bytes, int offset, int length) {
    SessionText text = open.get(log.number());
    if (text == null) {
      return; // a line after the session's end: there is none
    }
    add(text, PREFIXES[direction.ordinal()], false, bytes, offset, length);
  }

  /** Message data, rendered straight from the stored bytes, line by line. */
  @Override
  public void data(SessionLog log, DataRecord record) {
    SessionText text = open.get(log.number());
    if (text == null) {
      return;
    }
    byte[] prefix = PREFIXES[Direction.CLIENT.ordinal()];
    record.forEachSentLine(
        (bytes, offset, length, extraDot) -> add(text, prefix, extraDot, bytes, offset, length));
  }

  /**
   * One line into the session's text, rendered: as it is when it is its own transcript text (see
   * {@link Escaping#verbatim}), else escaped.
   */
  private void add(
      SessionText text, byte[] prefix, boolean extraDot, byte[] bytes, int offset, int length) {
    if (Escaping.verbatim(bytes, offset, length)) {
      addRendered(text, prefix, extraDot, bytes, offset, length);
    } else {
      byte[] rendered = Escaping.text(bytes, offset, length).getBytes(StandardCharsets.UTF_8);
      addRendered(text, prefix, extraDot, rendered, 0, rendered.length);
    }
  }

  /** A rendered line into the session's text; a full text goes to the file first. */
  private void addRendered(
      SessionText text, byte[] prefix, boolean extraDot, byte[] bytes, int offset, int length) {
    if (text.add(prefix, extraDot, bytes, offset, length)) {
      return;
    }
    order.lock();
    try {
      moveToFile(text);
      if (!text.add(prefix, extraDot, bytes, offset, length)) {
        // longer than a text holds: straight to the file, right after the session's other lines
        turnTo(text);
        transcript.appendBytes(prefix, 0, prefix.length, false);
        if (extraDot) {
          transcript.appendBytes(DOT, 0, 1, false);
        }
        transcript.appendBytes(bytes, offset, length, false);
        transcript.appendBytes(NEWLINE, 0, 1, false);
      }
    } finally {
      order.unlock();
    }
  }

  @Override
  public void ended(SessionLog log) {
    SessionText text = open.remove(log.number());
    order.lock();
    try {
      if (text != null) {
        moveToFile(text);
      }
      transcript.append(
          TranscriptRegroup.PREFIX + log.number() + " ended (" + log.ending().description() + ")",
          true);
      lastSession = 0;
    } finally {
      order.unlock();
    }
  }

  /**
   * Before each write to transcript.log, on its writer thread: what every open session said since
   * the last write, session by session. When a session holds the turn (it may be waiting for the
   * disk, which only this thread drains), the lines wait for the next write.
   */
  private void gather(boolean closing) {
    if (closing) {
      order.lock();
    } else if (!order.tryLock()) {
      return;
    }
    try {
      for (SessionText text : open.values()) {
        moveToFile(text);
      }
    } finally {
      order.unlock();
    }
  }

  /** Under {@link #order}: the session's text into the file, marked when it is a new turn. */
  private void moveToFile(SessionText text) {
    synchronized (text) {
      if (text.length == 0) {
        return;
      }
      turnTo(text);
      transcript.appendBytes(text.bytes, 0, text.length, false);
      text.length = 0;
      text.started = true;
    }
  }

  /**
   * Under {@link #order}: the file's next lines are this session's; a turn after another
   * session's lines is marked (the first holds the session's header instead).
   */
  private void turnTo(SessionText text) {
    if (text.started && text.number != lastSession) {
      transcript.append(TranscriptRegroup.PREFIX + text.number + " (continued)");
    }
    lastSession = text.number;
  }

  /**
   * What one session said that is not in transcript.log yet, rendered: at most {@value #LIMIT}
   * octets, then it goes to the file. Its session adds to it; the writer thread takes from it.
   */
  private static final class SessionText {
    static final int LIMIT = 64 * 1024;
    final int number;
    byte[] bytes = new byte[4096];
    int length;
    /** Whether some of it is in the file: its header was, and further turns are marked. */
    boolean started;

    SessionText(int number) {
      this.number = number;
    }

    synchronized void add(byte[] line) {
      add(NONE, false, line, 0, line.length);
    }

    /** Adds a line and its line break; false, adding nothing, when the text cannot hold it. */
    synchronized boolean add(
        byte[] prefix, boolean extraDot, byte[] line, int offset, int count) {
      int needed = prefix.length + (extraDot ? 1 : 0) + count + 1;
      if (length + needed > bytes.length) {
        if (length + needed > LIMIT) {
          return false;
        }
        bytes = Arrays.copyOf(bytes, Math.min(LIMIT, Math.max(length + needed, bytes.length * 2)));
      }
      System.arraycopy(prefix, 0, bytes, length, prefix.length);
      length += prefix.length;
      if (extraDot) {
        bytes[length++] = '.';
      }
      System.arraycopy(line, offset, bytes, length, count);
      length += count;
      bytes[length++] = '\n';
      return true;
    }
  }

  /**
   * Writes the message to its file before returning: the session calls this before the client can
   * read the reply to the message, so the file exists (complete) by then.
   */
  @Override
  public void messageReceived(ReceivedMessage message) {
    if (message.truncated()) {
      console.println(
          "received a message too large to keep whole ("
              + message.size()
              + " octets kept): not written to the mailbox, which holds exact messages only");
      return;
    }
    int number = messages.incrementAndGet();
    String name = fileName(number);
    files.lock();
    try {
      write(message, folder.resolve("." + name + ".part"), folder.resolve(name));
    } finally {
      files.unlock();
    }
    console.println(
        "received "
            + name
            + ": from <"
            + message.from()
            + "> to "
            + message.recipients()
            + ", "
            + message.size()
            + " octets, "
            + message.reply().map(r -> "answered " + r.code()).orElse("no reply (scripted fault)"));
  }

  /** {@code 000042.eml}: the number with at least six digits. */
  static String fileName(int number) {
    return IsoInstant.digits(new StringBuilder(16), number, 6).append(".eml").toString();
  }

  /** Writes under the temporary name, then renames; on any failure no temporary file is left. */
  static void write(ReceivedMessage message, Path temporary, Path target) {
    try {
      try (InputStream data = message.dataStream();
          OutputStream out = new FileOutputStream(temporary.toFile())) {
        data.transferTo(out);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  @Override
  public synchronized void violation(Violation violation) {
    violations.append(violation.toString());
    console.println("violation: " + violation);
  }

  /**
   * Closes both files and regroups transcript.log, from disk, into the rendering of {@link
   * Transcript#toString()}: each session once, in order, under a header telling how it ended.
   *
   * @throws IOException when a file cannot be written
   */
  synchronized void finish() throws IOException {
    close();
    Path file = folder.resolve("transcript.log");
    Path temporary = folder.resolve(".transcript.log.part");
    try {
      TranscriptRegroup.regroup(file, temporary, folder.resolve(".transcript.sessions"));
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Undoes the start when the double could not start after all: closes and removes the files it
   * created, so the folder is empty again for the next try.
   */
  synchronized void abandon() {
    try {
      close();
    } catch (IOException e) {
      // nothing was written yet
    }
    for (String name : List.of("transcript.log", "violations.log")) {
      try {
        Files.deleteIfExists(folder.resolve(name));
      } catch (IOException e) {
        // left behind; the next start names it
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      transcript.close();
    } finally {
      violations.close();
    }
  }
}
