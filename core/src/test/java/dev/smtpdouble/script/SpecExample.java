package dev.smtpdouble.script;

import dev.smtpdouble.Command;
import dev.smtpdouble.RuleBuilder;
import dev.smtpdouble.SmtpDouble;
import java.time.Duration;
import java.util.function.Function;

/** The fifteen example lines of SPEC §4, each with the Java rule that says the same. */
enum SpecExample {
  REPLY_211_TO_HELP("reply 211 to HELP", smtp -> smtp.on(Command.HELP).reply(211)),
  REPLY_211_TEXT_TO_HELP(
      "reply 211 \"System status: all queues empty\" to HELP",
      smtp -> smtp.on(Command.HELP).reply(211, "System status: all queues empty")),
  REPLY_354_THEN_554_AFTER_DATA(
      "reply 354 then 554 after DATA", smtp -> smtp.after(Command.DATA).reply(354).then(554)),
  REPLY_354_TEXT_THEN_554_TEXT_AFTER_DATA(
      "reply 354 \"Go ahead\" then 554 \"5.7.1 Message rejected as spam\" after DATA",
      smtp ->
          smtp.after(Command.DATA)
              .reply(354, "Go ahead")
              .then(554, "5.7.1 Message rejected as spam")),
  REPLY_550_TO_RCPT_PATTERN(
      "reply 550 \"5.1.1 No such user\" to RCPT <*@blocked.test>",
      smtp -> smtp.on(Command.RCPT, "<*@blocked.test>").reply(550, "5.1.1 No such user")),
  REPLY_421_TO_MAIL_ONCE(
      "reply 421 \"4.3.2 Try again later\" to MAIL once",
      smtp -> smtp.on(Command.MAIL).reply(421, "4.3.2 Try again later").once()),
  REPLY_451_TO_RCPT_2_TIMES(
      "reply 451 \"4.7.1 Greylisted\" to RCPT 2 times",
      smtp -> smtp.on(Command.RCPT).reply(451, "4.7.1 Greylisted").times(2)),
  REPLY_250_MULTILINE_TO_EHLO(
      "reply 250 \"mx.test greets you\" \"SIZE 1000\" \"PIPELINING\" to EHLO",
      smtp -> smtp.on(Command.EHLO).reply(250, "mx.test greets you", "SIZE 1000", "PIPELINING")),
  REPLY_554_TO_CONNECT(
      "reply 554 \"5.3.2 No service here\" to CONNECT",
      smtp -> smtp.on(Command.CONNECT).reply(554, "5.3.2 No service here")),
  DELAY_2S_TO_CONNECT(
      "delay 2s to CONNECT", smtp -> smtp.on(Command.CONNECT).delay(Duration.ofSeconds(2))),
  DELAY_500MS_REPLY_250_TO_MAIL(
      "delay 500ms, reply 250 to MAIL",
      smtp -> smtp.on(Command.MAIL).delay(Duration.ofMillis(500)).reply(250)),
  DISCONNECT_AFTER_DATA("disconnect after DATA", smtp -> smtp.after(Command.DATA).disconnect()),
  RESET_TO_RCPT_ON_2ND("reset to RCPT on 2nd", smtp -> smtp.on(Command.RCPT).reset().nth(2)),
  STALL_TO_DATA("stall to DATA", smtp -> smtp.on(Command.DATA).stall()),
  SEND_TO_NOOP(
      "send \"250 ok\\r\\n250 surprise\\r\\n\" to NOOP",
      smtp -> smtp.on(Command.NOOP).send("250 ok\r\n250 surprise\r\n"));

  /** The line exactly as SPEC §4 writes it. */
  final String text;

  /** Registers the same rule through the Java API, returning its builder. */
  final Function<SmtpDouble, RuleBuilder> java;

  SpecExample(String text, Function<SmtpDouble, RuleBuilder> java) {
    this.text = text;
    this.java = java;
  }

  /** How a test states the rule: as script text or through the Java API. */
  enum Form {
    SCRIPT,
    JAVA;

    /** Adds the example's rule to the double in this form. */
    void install(SmtpDouble smtp, SpecExample example) {
      if (this == SCRIPT) {
        smtp.script(example.text);
      } else {
        example.java.apply(smtp);
      }
    }
  }
}
