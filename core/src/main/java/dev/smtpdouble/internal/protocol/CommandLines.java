package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Reply;
import dev.smtpdouble.internal.capture.Escaping;
import dev.smtpdouble.internal.capture.SessionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The lines a client sends outside message data: read, decoded, logged with secrets masked (unless
 * the settings show them), and remembered as shown, which is what violations quote.
 */
final class CommandLines {
  private static final int MAX_STORED_LINE = 16 * 1024;
  private static final byte[] MASK = "****".getBytes(StandardCharsets.US_ASCII);

  /** The line last read. */
  final SmtpInput.RawLine line = new SmtpInput.RawLine();

  private final SessionLog log;
  private final boolean showSecrets;
  private String shown = "";
  private int number;

  CommandLines(SessionLog log, boolean showSecrets) {
    this.log = log;
    this.showSecrets = showSecrets;
  }

  /**
   * Reads the next line into {@link #line}.
   *
   * @param deadline {@code System.nanoTime()} to give up at, or 0 for none
   * @return false at the end of the input; the line then holds what arrived of it
   */
  boolean read(SmtpInput input, long deadline) throws IOException {
    return input.readLine(line, MAX_STORED_LINE, deadline);
  }

  /** The text of the line last read. */
  String text() {
    return decode(line.bytes, line.length);
  }

  /**
   * Logs the line last read as a command, with the secret of an AUTH command masked; it becomes
   * the line violations quote.
   *
   * @return its text
   */
  String logCommand() {
    String text = text();
    String masked = showSecrets ? null : maskedAuth(text);
    if (masked != null) {
      byte[] bytes = masked.getBytes(StandardCharsets.UTF_8);
      log.client(bytes, 0, bytes.length);
      shown = masked;
    } else {
      log.client(line.bytes, 0, line.length);
      shown = text;
    }
    number = log.lineCount();
    return text;
  }

  /**
   * Logs the line last read as a SASL response: masked unless it is empty or {@code *}.
   *
   * @return its text
   */
  String logResponse() {
    String text = text();
    if (showSecrets || text.equals("*") || text.isEmpty()) {
      log.client(line.bytes, 0, line.length);
      shown = text;
    } else {
      log.client(MASK, 0, MASK.length);
      shown = "****";
    }
    number = log.lineCount();
    return text;
  }

  /**
   * Reads and logs, as commands, the lines the client sends while nobody answers, until it
   * closes.
   *
   * @return whether the client sent QUIT
   */
  boolean hearOut(SmtpInput input) throws IOException {
    boolean quitSent = false;
    boolean more;
    do {
      more = read(input, 0);
      if (line.length > 0 || line.complete) {
        quitSent |= logCommand().strip().equalsIgnoreCase("QUIT");
      }
    } while (more);
    return quitSent;
  }

  /** The line last logged as violations quote it: secrets masked. */
  String shown() {
    return shown;
  }

  /** The transcript line number of the line last logged. */
  int number() {
    return number;
  }

  /** A line as text: ASCII, else UTF-8, else escaped bytes. */
  static String decode(byte[] bytes, int length) {
    boolean ascii = true;
    for (int i = 0; i < length; i++) {
      if (bytes[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return Escaping.text(bytes, 0, length);
    }
  }

  /** An AUTH command with its initial response masked, or null when the line is no AUTH. */
  private static String maskedAuth(String text) {
    if (!text.regionMatches(true, 0, "AUTH ", 0, 5)) {
      return null;
    }
    String[] words = text.split(" ", 3);
    return words.length < 3 ? text : words[0] + " " + words[1] + " ****";
  }

  /** The extension keywords an EHLO reply advertises, upper case. */
  static Set<String> keywords(Reply reply) {
    if (reply == null) {
      return Set.of();
    }
    Set<String> keywords = new HashSet<>();
    List<String> lines = reply.lines();
    for (int i = 1; i < lines.size(); i++) {
      String keyword = lines.get(i).strip().split(" ", 2)[0];
      keywords.add(keyword.toUpperCase(Locale.ROOT));
    }
    return Set.copyOf(keywords);
  }
}
