package dev.smtpdouble.internal.cli;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.Violation;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --mailbox} folder: each received message as {@code 000001.eml}, {@code 000002.eml},
 * ... (written under a temporary name and renamed, so a file with that name is always complete),
 * the transcript as {@code transcript.log} and violations as {@code violations.log}, both appended
 * and flushed as things happen. On a clean stop the transcript is rewritten whole, in exactly the
 * rendering of {@link Transcript#toString()}.
 *
 * <p>File names come from a counter only: nothing a client sends can choose a path.
 */
final class MailboxWriter implements SmtpDouble.Listener, AutoCloseable {
  private final Path folder;
  private final PrintStream console;
  private final Writer transcript;
  private final Writer violations;
  private int messages;
  private int lastSession;

  MailboxWriter(Path folder, PrintStream console) throws IOException {
    this.folder = folder;
    this.console = console;
    Files.createDirectories(folder);
    this.transcript = open(folder.resolve("transcript.log"));
    this.violations = open(folder.resolve("violations.log"));
  }

  private static Writer open(Path file) throws IOException {
    // FileOutputStream, unlike a channel, is not closed when a session thread is interrupted
    OutputStream out = new FileOutputStream(file.toFile(), false);
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void sessionStarted(Transcript.Session session) {
    write(session.header());
    lastSession = session.number();
    flush(transcript);
  }

  @Override
  public synchronized void transcriptLine(int sessionNumber, Transcript.Line line) {
    if (sessionNumber != lastSession) {
      write("=== session " + sessionNumber + " (continued)");
      lastSession = sessionNumber;
    }
    write(line.toString());
    if (!line.messageData() || line.text().equals(".")) {
      flush(transcript);
    }
  }

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
    String name = String.format(Locale.ROOT, "%06d.eml", number);
    Path target = folder.resolve(name);
    Path temporary = folder.resolve("." + name + ".part");
    try (InputStream data = message.dataStream();
        OutputStream out = new FileOutputStream(temporary.toFile())) {
      data.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + temporary, e);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      moveQuietly(temporary, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + temporary + " to " + target, e);
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

  @Override
  public synchronized void violation(Violation violation) {
    try {
      violations.write(violation.toString());
      violations.write('\n');
      violations.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    console.println("violation: " + violation);
  }

  /**
   * Rewrites transcript.log whole, as {@link Transcript#toString()} renders it: session by session
   * (that rendering is the sessions' renderings one after the other), so that a transcript larger
   * than the heap could hold as one string is written all the same.
   *
   * @param whole the final transcript
   */
  synchronized void finish(Transcript whole) throws IOException {
    transcript.close();
    violations.close();
    Path file = folder.resolve("transcript.log");
    Path temporary = folder.resolve(".transcript.log.part");
    // a session keeps the lines it has decoded: hold the sessions only here, and let each go
    // once it is written
    List<Transcript.Session> sessions = new ArrayList<>(whole.sessions());
    whole = null;
    try (Writer out =
        new BufferedWriter(
            new OutputStreamWriter(new FileOutputStream(temporary.toFile()), StandardCharsets.UTF_8))) {
      for (int i = 0; i < sessions.size(); i++) {
        // line by line: a session with a large message is never one huge string
        Transcript.Session session = sessions.set(i, null);
        out.write(session.header());
        out.write('\n');
        for (Transcript.Line line : session.lines()) {
          out.write(line.toString());
          out.write('\n');
        }
      }
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public synchronized void close() throws IOException {
    transcript.close();
    violations.close();
  }

  private void write(String text) {
    try {
      transcript.write(text);
      transcript.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flush(Writer writer) {
    try {
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void moveQuietly(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
    }
  }
}
