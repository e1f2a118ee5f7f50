package dev.smtpdouble.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.Command;
import dev.smtpdouble.Rule;
import dev.smtpdouble.SmtpDouble;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java examples of docs/script-language.md: the rule builders write the script's rules. */
@Timeout(30)
class ScriptLanguageSnippetsTest {

  @Test
  void eachBuilderCallIsTheRuleItsCommentShows() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      // tag::rules-in-java[]
      smtp.on(Command.HELP).reply(211, "System status OK");          // reply 211 "System status OK" to HELP
      smtp.on(Command.DATA).reply(354).then(554, "5.7.1 Rejected");  // reply 354 then 554 "5.7.1 Rejected" to DATA
      smtp.on(Command.RCPT, "*@blocked.test").reply(550, "5.1.1 No such user");
      smtp.on(Command.MAIL).reply(421, "4.3.2 Try again later").once();
      smtp.on(Command.RCPT).reply(451, "4.7.1 Greylisted").times(2);
      smtp.on(Command.RCPT).reset().nth(2);                          // reset to RCPT on 2nd
      smtp.on(Command.MAIL).delay(Duration.ofMillis(500)).reply(250);
      smtp.on(Command.DATA).stall();
      smtp.after(Command.DATA).disconnect();
      smtp.on(Command.NOOP).send("250 ok\r\n250 surprise\r\n");
      smtp.add(Rule.parse("reply 554 \"5.3.2 No service here\" to CONNECT"));
      // end::rules-in-java[]

      assertThat(smtp.rules())
          .extracting(Rule::toString)
          .containsExactly(
              "reply 211 \"System status OK\" to HELP",
              "reply 354 then 554 \"5.7.1 Rejected\" to DATA",
              "reply 550 \"5.1.1 No such user\" to RCPT *@blocked.test",
              "reply 421 \"4.3.2 Try again later\" to MAIL once",
              "reply 451 \"4.7.1 Greylisted\" to RCPT 2 times",
              "reset to RCPT on 2nd",
              "delay 500ms, reply 250 to MAIL",
              "stall to DATA",
              "disconnect after DATA",
              "send \"250 ok\\r\\n250 surprise\\r\\n\" to NOOP",
              "reply 554 \"5.3.2 No service here\" to CONNECT");
      assertThat(smtp.rules()).allSatisfy(rule -> assertThat(Rule.parse(rule.toString())).isEqualTo(rule));
    }
  }
}
