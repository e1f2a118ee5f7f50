package dev.smtpdouble.bench;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** smtp-double with its default settings, optionally with 50 rules that never act. */
final class SmtpDoubleTarget implements Target {
  private final int rules;
  private SmtpDouble smtp;

  SmtpDoubleTarget(int rules) {
    this.rules = rules;
  }

  @Override
  public String name() {
    return rules == 0 ? "smtp-double" : "smtp-double+" + rules + "rules";
  }

  @Override
  public void start() {
    smtp = SmtpDouble.start();
    if (rules > 0) {
      List<String> script = fiftyRules();
      smtp.script(script.toArray(new String[0]));
      if (smtp.rules().size() != script.size()) {
        throw new IllegalStateException("expected " + script.size() + " rules, got " + smtp.rules().size());
      }
    }
  }

  /**
   * Fifty rules that never act on the scenarios' traffic (EHLO, MAIL, RCPT, DATA, QUIT from
   * 127.0.0.1): most on other verbs, fifteen on the same verbs with patterns that do not match.
   */
  static List<String> fiftyRules() {
    List<String> lines = new ArrayList<>();
    String[] otherVerbs = {"HELP", "VRFY", "EXPN", "NOOP", "RSET", "ETRN", "AUTH", "STARTTLS", "TURN", "XCLIENT", "BDAT", "HELO", "XFORWARD"};
    int i = 0;
    while (lines.size() < 35) {
      String verb = otherVerbs[i % otherVerbs.length];
      lines.add(
          switch (i % 5) {
            case 0 -> "reply 502 \"5.5.1 Not here " + i + "\" to " + verb;
            case 1 -> "reply 421 \"4.3.2 Try again later\" to " + verb + " once";
            case 2 -> "delay 2s, reply 250 to " + verb + " 3 times";
            case 3 -> "reply 451 \"4.3.0 Later\" after " + verb;
            default -> "disconnect after " + verb + " on 2nd";
          });
      i++;
    }
    lines.add("reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>");
    lines.add("reply 451 \"4.7.1 Greylisted\" to RCPT <grey-?@*.invalid> 2 times");
    lines.add("reset to RCPT <reset@*> on 2nd");
    lines.add("reply 552 to RCPT *@huge.test");
    lines.add("reply 421 \"4.3.2 Try again later\" to MAIL <nobody@nowhere.test> once");
    lines.add("reply 553 to MAIL *@spoofed.test");
    lines.add("delay 1s to MAIL <slow*@*>");
    lines.add("disconnect to EHLO evil.*");
    lines.add("reply 550 to EHLO *.blocked.test");
    lines.add("reply 554 \"5.3.2 No service here\" to CONNECT 10.*");
    lines.add("delay 2s to CONNECT 192.168.*");
    lines.add("reply 354 then 554 after DATA x*");
    lines.add("stall to DATA never*");
    lines.add("reply 221 to QUIT now*");
    lines.add("send \"250 ok\\r\\n250 surprise\\r\\n\" to QUIT later*");
    return lines;
  }

  @Override
  public int port() {
    return smtp.port();
  }

  @Override
  public long count() {
    return smtp.messages().size();
  }

  @Override
  public Tally tally(byte[] expected) {
    List<ReceivedMessage> messages = smtp.messages();
    long bytes = 0;
    long mismatches = 0;
    byte[] buffer = new byte[64 * 1024];
    for (ReceivedMessage message : messages) {
      // through the stream: data() would copy each 1 MiB message into one (humongous) array
      long size = message.size();
      bytes += size;
      if (!message.accepted() || size != expected.length || !sameStream(message, buffer, expected)) {
        mismatches++;
      }
    }
    if (rules > 0 && smtp.unusedRules().size() != smtp.rules().size()) {
      throw new IllegalStateException("a rule acted: " + smtp.unusedRules().size() + " of " + smtp.rules().size() + " unused");
    }
    return new Tally(messages.size(), bytes, mismatches, true);
  }

  private static boolean sameStream(ReceivedMessage message, byte[] buffer, byte[] expected) {
    try (InputStream in = message.dataStream()) {
      int at = 0;
      for (int n; (n = in.read(buffer)) > 0; at += n) {
        if (at + n > expected.length
            || !Arrays.equals(buffer, 0, n, expected, at, at + n)) {
          return false;
        }
      }
      return at == expected.length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void clear() {
    smtp.reset();
  }

  @Override
  public void stop() {
    smtp.close();
  }

  /**
   * The double itself, for the memory scenario.
   *
   * @return the running double
   */
  SmtpDouble smtp() {
    return smtp;
  }
}
