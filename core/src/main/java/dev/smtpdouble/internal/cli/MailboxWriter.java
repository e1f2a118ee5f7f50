package dev.smtpdouble.internal.cli;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.text.IsoInstant;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
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
final class MailboxWriter implements SmtpDouble.Listener, AutoCloseable {
  private final Path folder;
  private final PrintStream console;
  private final LiveFile transcript;
  private final LiveFile violations;
  private int messages;
  private int lastSession;
  private final ConcurrentHashMap<Integer, DataLines> dataLines = new ConcurrentHashMap<>();

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
    this.transcript = new LiveFile(transcriptFile, this::writeFailed);
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
    dataLines.put(session.number(), new DataLines());
    synchronized (this) {
      transcript.append(session.header());
      lastSession = session.number();
    }
  }

  /**
   * A message's data lines (a hundred or more a message) are gathered by session and go to the
   * transcript together, before the session's next line, instead of taking the writer's lock one
   * by one against every other session.
   */
  @Override
  public void transcriptLine(int sessionNumber, Transcript.Line line) {
    DataLines pending = dataLines.get(sessionNumber);
    if (line.messageData() && pending != null) {
      if (pending.add(line)) {
        synchronized (this) {
          flush(sessionNumber, pending);
        }
      }
      return;
    }
    synchronized (this) {
      if (pending != null) {
        flush(sessionNumber, pending);
      }
      turnTo(sessionNumber);
      transcript.append(line.toString());
    }
  }

  @Override
  public void sessionEnded(Transcript.Session session) {
    DataLines pending = dataLines.remove(session.number());
    synchronized (this) {
      if (pending != null) {
        flush(session.number(), pending);
      }
      transcript.append(
          TranscriptRegroup.PREFIX
              + session.number()
              + " ended ("
              + session.ending().description()
              + ")",
          true);
      lastSession = 0;
    }
  }

  /** Under this writer's lock: a session's turn in the transcript, marked when it is a new turn. */
  private void turnTo(int sessionNumber) {
    if (sessionNumber != lastSession) {
      transcript.append(TranscriptRegroup.PREFIX + sessionNumber + " (continued)");
      lastSession = sessionNumber;
    }
  }

  /** Under this writer's lock: the session's gathered data lines, if any, into the transcript. */
  private void flush(int sessionNumber, DataLines pending) {
    String lines = pending.take();
    if (lines != null) {
      turnTo(sessionNumber);
      transcript.appendText(lines, false);
    }
  }

  /**
   * One session's data lines not yet in the transcript, at most about {@value #LIMIT} characters
   * of them; nothing is kept between messages. A session's lines come one at a time (its
   * transcript is appended to under its own lock), so this lock is never contended.
   */
  private static final class DataLines {
    static final int LIMIT = 64 * 1024;
    private StringBuilder lines;

    /** Adds a line; true when enough have gathered to be flushed now. */
    synchronized boolean add(Transcript.Line line) {
      if (lines == null) {
        lines = new StringBuilder(8192);
      }
      lines.append(line.direction().prefix()).append(line.text()).append('\n');
      return lines.length() >= LIMIT;
    }

    /** The gathered lines, each with its line break, or null when there are none; then none. */
    synchronized String take() {
      if (lines == null) {
        return null;
      }
      String text = lines.toString();
      lines = null;
      return text;
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
    int number;
    synchronized (this) {
      number = ++messages;
    }
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
