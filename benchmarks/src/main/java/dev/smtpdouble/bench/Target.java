package dev.smtpdouble.bench;

import java.util.List;

/**
 * One SMTP server under test, behind the smallest interface the scenarios need: start on a free
 * loopback port, say where it listens, tell what it received, forget it, stop.
 */
public interface Target {

  /** The targets, in the order the table shows them. */
  List<String> ALL = List.of("smtp-double", "greenmail", "wiser", "minimal");

  /**
   * The name used on the command line and in the table.
   *
   * @return the name
   */
  String name();

  /**
   * Starts listening on 127.0.0.1 and a free port; ready to greet when this returns.
   *
   * @throws Exception when it cannot start
   */
  void start() throws Exception;

  /**
   * The address clients connect to.
   *
   * @return always {@code 127.0.0.1}
   */
  default String host() {
    return "127.0.0.1";
  }

  /**
   * The port it listens on.
   *
   * @return the port
   */
  int port();

  /**
   * How many messages it received so far: cheap, for waiting until the last one is in.
   *
   * @return the count
   */
  long count();

  /**
   * What it received so far, checked against what every message should have been. The bytes are
   * the message data as the server keeps it, less the trace header fields (Return-Path, Received)
   * that some servers put in front.
   *
   * @param expected the data every message was sent with (after dot-unstuffing)
   * @return count, bytes and how many messages differ from {@code expected}
   */
  Tally tally(byte[] expected);

  /** Forgets the messages received so far (between a warm-up and a measurement). */
  void clear();

  /** Stops listening, ends the connections, joins its threads. */
  void stop();

  /**
   * What a target received.
   *
   * @param messages how many messages
   * @param bytes their data in all, trace headers left out
   * @param mismatches how many differ from the expected data (0 when the target keeps no data)
   * @param keepsData whether the target keeps the data (the minimal responder only counts)
   */
  record Tally(long messages, long bytes, long mismatches, boolean keepsData) {}

  /**
   * Makes a target by name.
   *
   * @param name {@code smtp-double}, {@code smtp-double+50rules}, {@code greenmail}, {@code wiser},
   *     {@code minimal} or {@code minimal-virtual}
   * @return the target, not started
   */
  static Target create(String name) {
    return switch (name) {
      case "smtp-double" -> new SmtpDoubleTarget(0);
      case "smtp-double+50rules" -> new SmtpDoubleTarget(50);
      case "greenmail" -> new GreenMailTarget();
      case "wiser" -> new WiserTarget();
      case "minimal" -> new MinimalTarget(false);
      case "minimal-virtual" -> new MinimalTarget(true);
      default -> throw new IllegalArgumentException(
          "unknown target " + name + "; one of " + ALL + ", minimal-virtual or smtp-double+50rules");
    };
  }

  /**
   * The data with leading {@code Return-Path:} and {@code Received:} fields (and their folded
   * continuation lines) left out: the trace fields GreenMail and Wiser add in front of what the
   * client sent. The scenarios never send such fields themselves.
   *
   * @param data the data as stored
   * @return the offset where the client's data starts
   */
  static int traceHeaderLength(byte[] data) {
    int pos = 0;
    while (startsWithIgnoreCase(data, pos, "Received:") || startsWithIgnoreCase(data, pos, "Return-Path:")) {
      while (true) {
        int lf = indexOf(data, (byte) '\n', pos);
        if (lf < 0) {
          return data.length;
        }
        pos = lf + 1;
        if (pos >= data.length || (data[pos] != ' ' && data[pos] != '\t')) {
          break;
        }
      }
    }
    return pos;
  }

  private static boolean startsWithIgnoreCase(byte[] data, int pos, String prefix) {
    if (data.length - pos < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase((char) data[pos + i]) != Character.toLowerCase(prefix.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether {@code data} from {@code offset} on equals {@code expected}.
   *
   * @param data the stored data
   * @param offset where the client's data starts
   * @param expected what was sent
   * @return true when equal
   */
  static boolean sameData(byte[] data, int offset, byte[] expected) {
    return java.util.Arrays.equals(data, offset, data.length, expected, 0, expected.length);
  }
}
