package dev.smtpdouble.script;

import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.Command;
import dev.smtpdouble.Count;
import dev.smtpdouble.Rule;
import dev.smtpdouble.RuleBuilder;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rules over time: added while sessions are open (from any thread), restored by {@code reset()},
 * and reported by {@code unusedRules()} until they act.
 */
@Timeout(60)
class RuleLifecycleTest {

  private static RawClient connect(SmtpDouble smtp) {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    return client;
  }

  @Test
  void aRuleAddedWhileASessionIsOpenAnswersItsNextCommand() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = connect(smtp)) {
      client.send("NOOP").expect(OK);
      smtp.script("reply 250 \"from the script\" to NOOP");
      client.send("NOOP").expect("250 from the script");
      RuleBuilder java = smtp.on(Command.NOOP).reply(250, "from Java");
      client.send("NOOP").expect("250 from Java");
      java.reply(250, "second reply");
      client.send("NOOP").expect("250 from Java").expect("250 second reply");
    }
  }

  @Test
  void rulesAddedFromAnotherThreadWhileEightClientsSendAreSafeAndEveryMatchCounts()
      throws Exception {
    int clients = 8;
    int perClient = 50;
    int total = clients * perClient;
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .rule(
                Rule.parse("reply 250 \"match " + (total + 1) + "\" to NOOP")
                    .withCount(Count.nth(total + 1)))
            .start()) {
      ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
      try {
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean sending = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
        List<Future<?>> senders = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          senders.add(
              pool.submit(
                  () -> {
                    try (RawClient client = connect(smtp)) {
                      go.await();
                      for (int i = 0; i < perClient; i++) {
                        client.send("NOOP");
                        replies.add(client.readLine());
                      }
                    }
                    return null;
                  }));
        }
        Future<Integer> adder =
            pool.submit(
                () -> {
                  go.await();
                  int added = 0;
                  // the count first: a builder's rule takes effect with each call, and live
                  // clients must never see it without its count
                  RuleBuilder updated = smtp.on(Command.NOOP).nth(1_000_000).reply(250, "never");
                  while (sending.get()) {
                    // rules on NOOP that match every NOOP (so they count) but never act,
                    // rules on NOOP whose pattern never matches, and rules on other verbs
                    smtp.add(
                        Rule.parse("reply 550 \"never\" to NOOP")
                            .withCount(Count.nth(1_000_000 + added)));
                    smtp.on(Command.NOOP, "no-such-argument-" + added).reply(550);
                    smtp.on(Command.VRFY).reply(252, "added " + added);
                    updated = updated.nth(1_000_000 + added);
                    smtp.rules();
                    smtp.unusedRules();
                    added++;
                  }
                  return added;
                });
        go.countDown();
        for (Future<?> sender : senders) {
          sender.get(30, TimeUnit.SECONDS);
        }
        sending.set(false);
        int added = adder.get(10, TimeUnit.SECONDS);

        assertThat(added).isPositive();
        assertThat(replies).hasSize(total).containsOnly(OK);
        assertThat(smtp.rules()).hasSize(1 + 1 + 3 * added);
        // every NOOP was counted by the first rule, although rules were added all the while
        try (RawClient client = connect(smtp)) {
          client.send("NOOP").expect("250 match " + (total + 1));
          client.send("NOOP").expect(OK);
        }
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void resetRestoresTheStartingRulesWithFreshCountsAndClearsWhatWasCaptured() throws Exception {
    try (SmtpDouble smtp =
        SmtpDouble.builder()
            .script("reply 211 \"from the start\" to HELP once")
            .rule(Rule.parse("reply 550 to RCPT <*@blocked.test>"))
            .start()) {
      List<Rule> starting = smtp.rules();
      try (RawClient client = connect(smtp)) {
        client.send("HELP").expect("211 from the start");
        client.send("HELP").expectStart("214-");
      }
      smtp.script("reply 252 \"added\" to VRFY");
      smtp.on(Command.NOOP).reply(250, "added too");
      Jakarta.send(smtp, "Before reset", "alice@example.test");
      try (RawClient client = connect(smtp)) {
        client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
        client.send("QUIT").expect(BYE);
      }
      assertThat(smtp.messages()).hasSize(1);
      assertThat(smtp.violations()).isNotEmpty();
      assertThat(smtp.rules()).hasSize(4);
      for (int session = 1; session <= 3; session++) {
        // a client that saw 221 may be a moment ahead of the session's end: reset keeps open ones
        Sessions.ended(smtp, session);
      }

      smtp.reset();

      assertThat(smtp.rules()).isEqualTo(starting);
      assertThat(smtp.unusedRules()).isEqualTo(starting);
      assertThat(smtp.messages()).isEmpty();
      assertThat(smtp.violations()).isEmpty();
      assertThat(smtp.transcript().sessions()).isEmpty();
      try (RawClient client = connect(smtp)) {
        client.send("HELP").expect("211 from the start");
        client.send("VRFY x").expectStart("252 2.0.0 Cannot VRFY");
        client.send("NOOP").expect(OK);
      }
      Jakarta.send(smtp, "After reset", "alice@example.test");
      assertThat(smtp.takeMessage(Duration.ofSeconds(5)).subject()).isEqualTo("After reset");
    }
  }

  @Test
  void aRuleBuilderKeptAcrossResetFailsInsteadOfChangingARuleThatIsGone() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = connect(smtp)) {
      RuleBuilder kept = smtp.on(Command.NOOP).reply(250, "before reset");
      RuleBuilder empty = smtp.on(Command.HELP);
      smtp.reset();
      assertThat(smtp.rules()).isEmpty();

      assertThatThrownBy(() -> kept.once())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("before reset()")
          .hasMessageContaining("start the rule again");
      assertThatThrownBy(() -> kept.reply(250, "more"))
          .isInstanceOf(IllegalStateException.class);
      // a builder that had no action yet belongs to the old rules too
      assertThatThrownBy(() -> empty.reply(211)).isInstanceOf(IllegalStateException.class);
      assertThat(smtp.rules()).isEmpty();
      client.send("NOOP").expect(OK);

      // a builder obtained after the reset works as ever
      smtp.on(Command.NOOP).reply(250, "after reset");
      client.send("NOOP").expect("250 after reset");
      assertThat(smtp.rules()).hasSize(1);
    }
  }

  @Test
  void resetKeepsTheTranscriptOfASessionStillOpen() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      try (RawClient closed = connect(smtp)) {
        closed.send("QUIT").expect(BYE);
      }
      Sessions.ended(smtp, 1);
      try (RawClient open = connect(smtp)) {
        open.send("NOOP").expect(OK);
        smtp.reset();
        List<Transcript.Session> sessions = smtp.transcript().sessions();
        assertThat(sessions).singleElement().satisfies(s -> assertThat(s.number()).isEqualTo(2));
        open.send("RSET").expect(OK);
        assertThat(smtp.transcript().toString()).contains("C: NOOP\n").contains("C: RSET\n");
      }
    }
  }

  @Test
  void unusedRulesListsTheRulesThatNeverActedAndDropsThemOnceTheyAct() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script(
          "reply 211 to HELP",
          "reply 550 to RCPT <*@blocked.test>",
          "reply 252 \"second\" to VRFY on 2nd",
          "delay 1ms after NOOP");
      List<Rule> all = smtp.rules();
      Rule blocked = all.get(1);
      Rule vrfy = all.get(2);
      Rule noop = all.get(3);
      assertThat(smtp.unusedRules()).isEqualTo(all);

      try (RawClient client = connect(smtp)) {
        client.send("HELP").expectStart("211 ");
        assertThat(smtp.unusedRules()).containsExactly(blocked, vrfy, noop);
        client.send("VRFY a").expectStart("252 2.0.0");
        // matched and counted, but it did not act: still unused
        assertThat(smtp.unusedRules()).containsExactly(blocked, vrfy, noop);
        client.send("VRFY b").expect("252 second");
        assertThat(smtp.unusedRules()).containsExactly(blocked, noop);
        client.send("NOOP").expect(OK);
        assertThat(smtp.unusedRules()).containsExactly(blocked);
      }
      assertThat(smtp.unusedRules()).containsExactly(blocked);
    }
  }

  @Test
  void aRuleOutshoneByANewerOneStaysUnused() {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.script("reply 211 \"older\" to HELP", "reply 211 \"newer\" to HELP");
      try (RawClient client = connect(smtp)) {
        client.send("HELP").expect("211 newer");
      }
      assertThat(smtp.unusedRules()).containsExactly(Rule.parse("reply 211 \"older\" to HELP"));
    }
  }
}
