package dev.smtpdouble.examples.catalogue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The faults of the catalogue that Postfix's {@code smtp-sink} can commit too, each as smtp-sink's
 * options and the double's script that says, byte for byte where the client can see it, what
 * smtp-sink says: the same reply texts, and the same EHLO reply (smtp-sink's, with or without
 * PIPELINING). {@link SmtpSinkDifferentialTest} holds the double against smtp-sink with these;
 * {@code CLIENT-BEHAVIOUR.md} marks each fault checked or not.
 */
final class SmtpSinkFaults {
  /** smtp-sink's 421, from {@code -Q}. */
  private static final String CLOSING = "\"4.0.0 Server closing connection\"";

  /**
   * How often a fault that ends in a close runs against each server: what the client writes after
   * the close meets a reset sooner or later, and the outcome can change with it.
   */
  static final int RACY = 5;

  private SmtpSinkFaults() {}

  /**
   * One fault as both servers commit it.
   *
   * @param faultId the catalogue fault (its client settings and message)
   * @param options smtp-sink's options for it
   * @param script the double's rules for it, without the EHLO rule
   * @param pipelining whether smtp-sink offers PIPELINING with these options ({@code -r}, {@code -f}
   *     and {@code -p} turn it off)
   * @param allClients false for faults that take a client timeout, run with Jakarta Mail only to
   *     keep the build fast
   */
  record Case(
      String faultId,
      List<String> options,
      String script,
      boolean pipelining,
      boolean allClients) {

    /** How often each client runs against each server: more where the outcome is a race. */
    int repeats() {
      return Faults.CLOSE_RACES.contains(faultId) ? RACY : 1;
    }

    /** smtp-sink's options as the table shows them. */
    String sinkNote() {
      return "`" + String.join(" ", Stream.concat(Stream.of("smtp-sink"), options.stream().map(Case::quoted)).toList()) + "`";
    }

    private static String quoted(String option) {
      return option.contains(" ") ? "'" + option + "'" : option;
    }

    /** The double's whole script: smtp-sink's EHLO reply, then the fault. */
    String doubleScript() {
      String ehlo =
          "reply 250 \"localhost\" "
              + (pipelining ? "\"PIPELINING\" " : "")
              + "\"8BITMIME\" \"ENHANCEDSTATUSCODES\" \"DSN\" \"\" to EHLO";
      return script.isEmpty() ? ehlo : ehlo + "\n" + script;
    }
  }

  /** The cases, in the catalogue's order. */
  static final List<Case> CASES =
      List.of(
          new Case("no-fault", List.of(), "", true, true),
          new Case(
              "greeting-554",
              List.of("-f", "CONNECT", "-B", "554 5.3.2 No service here"),
              "reply 554 \"5.3.2 No service here\" to CONNECT",
              false,
              true),
          new Case(
              "greeting-421",
              List.of("-Q", "CONNECT"),
              "reply 421 " + CLOSING + " to CONNECT",
              true,
              true),
          new Case(
              "mail-421-once",
              List.of("-Q", "MAIL"),
              "reply 421 " + CLOSING + " to MAIL",
              true,
              true),
          new Case(
              "greylisting",
              List.of("-r", "RCPT", "-b", "451 4.7.1 Greylisted, try again later"),
              "reply 451 \"4.7.1 Greylisted, try again later\" to RCPT",
              false,
              true),
          new Case(
              "data-554",
              List.of("-f", ".", "-B", "554 5.7.1 Message rejected as spam"),
              "reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA",
              false,
              true),
          new Case("disconnect-after-data", List.of("-q", "."), "disconnect after DATA", true, true),
          new Case("disconnect-on-data", List.of("-q", "DATA"), "disconnect to DATA", true, true),
          new Case(
              "abort-after-354",
              List.of("-A", "0"),
              "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n550 This violates SMTP\\r\\n\","
                  + " disconnect to DATA",
              true,
              true),
          new Case("stall-on-data", List.of("-w", "4"), "stall to DATA", true, false),
          new Case(
              "slow-greeting-impatient",
              List.of("-W", "CONNECT:3"),
              "delay 3s to CONNECT",
              true,
              false),
          new Case(
              "ehlo-without-pipelining", List.of("-p"), "", false, true));

  /**
   * The case for a catalogue fault.
   *
   * @param faultId the fault's id
   * @return its case, or empty when smtp-sink cannot commit that fault
   */
  static Optional<Case> of(String faultId) {
    return CASES.stream().filter(c -> c.faultId().equals(faultId)).findFirst();
  }
}
