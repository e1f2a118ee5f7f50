package dev.smtpdouble.script;

import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.QUEUED;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.Command;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which rule acts on which command (SPEC §4 and §8): counts over the double's whole life and every
 * session, every match counted whether or not the rule acted, the newest rule that is not used up
 * winning, and patterns over addresses, arguments and the client's address.
 */
@Timeout(30)
class RuleMatchingTest {
  private static final String HELP_DEFAULT =
      "214-2.0.0 Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY";

  private SmtpDouble smtp;

  @BeforeEach
  void start() {
    smtp = SmtpDouble.start();
  }

  @AfterEach
  void stop() {
    smtp.close();
  }

  /** A client past the greeting. */
  private RawClient connect() {
    RawClient client = RawClient.connect(smtp);
    client.expect(GREETING);
    return client;
  }

  /** A client past HELO, with a transaction open when {@code from} is not null. */
  private RawClient inTransaction(String from) {
    RawClient client = connect();
    client.send("HELO client.test").expect(HELO_OK);
    if (from != null) {
      client.send("MAIL FROM:<" + from + ">").expect(MAIL_OK);
    }
    return client;
  }

  private static String help(RawClient client) {
    client.send("HELP");
    return client.readReply().get(0);
  }

  @Test
  void onceActsOnTheFirstMatchOfTheDoublesLifeOnly() {
    smtp.script("reply 211 \"once\" to HELP once");
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo("211 once");
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
    }
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
    }
  }

  @Test
  void timesCountsAcrossConnections() {
    smtp.script("reply 211 \"twice\" to HELP 2 times");
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo("211 twice");
    }
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo("211 twice");
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
    }
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
    }
  }

  @Test
  void onNthActsOnThatMatchOnlyAcrossConnections() {
    smtp.script("reply 211 \"second\" to HELP on 2nd");
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
    }
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo("211 second");
    }
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
    }
  }

  @Test
  void everyMatchingCommandCountsEvenWhenANewerRuleActed() {
    smtp.script("reply 252 \"older, on 2nd\" to VRFY on 2nd");
    smtp.script("reply 550 \"newer, once\" to VRFY once");
    try (RawClient client = connect()) {
      // match 1: both rules count it; the newer one acts
      client.send("VRFY a").expect("550 newer, once");
      // match 2: the older rule's second match, although it did not act on the first
      client.send("VRFY b").expect("252 older, on 2nd");
      client
          .send("VRFY c")
          .expect("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery");
    }
  }

  @Test
  void onlyCommandsMatchingThePatternCount() {
    smtp.script("reply 451 \"4.7.1 second x\" to RCPT <*@x.test> on 2nd");
    try (RawClient client = inTransaction("a@example.test")) {
      client.send("RCPT TO:<a@y.test>").expect(RCPT_OK);
      client.send("RCPT TO:<b@x.test>").expect(RCPT_OK);
      client.send("RCPT TO:<c@y.test>").expect(RCPT_OK);
      client.send("RCPT TO:<d@x.test>").expect("451 4.7.1 second x");
      client.send("RCPT TO:<e@x.test>").expect(RCPT_OK);
    }
  }

  @Test
  void theNewestRuleWinsAndAnOlderOneAnswersOnceItIsUsedUp() {
    smtp.script("reply 211 \"oldest\" to HELP", "reply 211 \"older\" to HELP");
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo("211 older");
    }
    smtp.on(Command.HELP).reply(211, "newest").once();
    try (RawClient client = connect()) {
      assertThat(help(client)).isEqualTo("211 newest");
      assertThat(help(client)).isEqualTo("211 older");
    }
  }

  @Test
  void aToRuleAndAnAfterRuleBothActOnTheSameCommand() {
    smtp.script("reply 250 \"after\" after NOOP", "reply 250 \"instead\" to NOOP");
    try (RawClient client = connect()) {
      client.send("NOOP").expect("250 instead").expect("250 after");
      client.send("RSET").expect(OK);
    }
    assertThat(smtp.transcript().toString())
        .contains("C: NOOP\nS: 250 instead\nS: 250 after\nC: RSET\n");
  }

  @Test
  void addressPatternsIgnoreAngleBracketsAndCase() {
    smtp.script(
        "reply 550 \"bracketed\" to RCPT <*@Bracket.TEST>",
        "reply 551 \"bare\" to RCPT *@bare.test",
        "reply 552 \"one char\" to RCPT ?@short.test");
    try (RawClient client = inTransaction("a@example.test")) {
      client.send("RCPT TO:<Alice@bracket.test>").expect("550 bracketed");
      client.send("RCPT TO:alice@BRACKET.test").expect("550 bracketed");
      client.send("RCPT TO:<BOB@Bare.Test>").expect("551 bare");
      client.send("RCPT TO:bob@bare.test").expect("551 bare");
      client.send("RCPT TO:<q@short.test>").expect("552 one char");
      client.send("RCPT TO:<qq@short.test>").expect(RCPT_OK);
      client.send("RCPT TO:<a@bare.test.example>").expect(RCPT_OK);
    }
  }

  @Test
  void mailPatternsMatchTheAddressAloneNotItsParameters() {
    smtp.script(
        "reply 550 \"5.7.1 no bounces here\" to MAIL <>",
        "reply 553 \"5.7.1 not you\" to MAIL mallory@*");
    try (RawClient client = connect()) {
      client.send("EHLO client.test").readReply();
      client.send("MAIL FROM:<>").expect("550 5.7.1 no bounces here");
      client
          .send("MAIL FROM:<Mallory@Evil.test> SIZE=100 BODY=8BITMIME")
          .expect("553 5.7.1 not you");
      client.send("MAIL FROM:<alice@example.test> SIZE=100").expect(MAIL_OK);
    }
  }

  @Test
  void patternsMatchTheArgumentOfOtherVerbs() {
    smtp.script(
        "reply 252 \"alice is here\" to VRFY alice*",
        "reply 214 \"MAIL FROM:<address>\" to HELP mail",
        "reply 550 \"5.7.1 not from there\" to EHLO *.evil.test",
        "reply 250 \"xfoo ok\" to XFOO");
    try (RawClient client = connect()) {
      client.send("EHLO host.Evil.TEST").expect("550 5.7.1 not from there");
      assertThat(client.ehlo("good.test")).first().isEqualTo("250-localhost");
      client.send("VRFY Alice@example.test").expect("252 alice is here");
      client.send("VRFY bob").expectStart("252 2.0.0 Cannot VRFY");
      client.send("HELP MAIL").expect("214 MAIL FROM:<address>");
      assertThat(help(client)).isEqualTo(HELP_DEFAULT);
      client.send("xfoo anything").expect("250 xfoo ok");
      client.send("XBAR").expect("500 5.5.2 Error: command not recognized");
    }
  }

  @Test
  void connectRulesMatchTheClientsAddressAndCountConnections() {
    smtp.script(
        "reply 554 \"5.7.1 not from 10/8\" to CONNECT 10.*",
        "reply 421 \"4.3.2 busy, second connection\" to CONNECT 127.0.0.? on 2nd");
    try (RawClient first = RawClient.connect(smtp)) {
      first.expect(GREETING);
    }
    try (RawClient second = RawClient.connect(smtp)) {
      second.expect("421 4.3.2 busy, second connection");
      assertThat(second.awaitEnd(2000)).isEqualTo("EOF");
    }
    try (RawClient third = RawClient.connect(smtp)) {
      third.expect(GREETING);
      third.send("NOOP").expect(OK);
    }
    assertThat(Sessions.ended(smtp, 2).ending()).isEqualTo(Transcript.Ending.CLOSED_AFTER_421);
  }

  @Test
  void anAfterConnectRuleSpeaksRightAfterTheGreeting() {
    smtp.script("send \"250-extra\\r\\n\" after CONNECT");
    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING).expect("250-extra");
      client.send("NOOP").expect(OK);
    }
  }

  @Test
  void aScripted421IsFollowedByClosing() {
    smtp.script("reply 421 to NOOP");
    try (RawClient client = connect()) {
      client
          .send("NOOP")
          .expect("421 4.3.2 localhost Service not available, closing transmission channel");
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    }
    Transcript.Session session = Sessions.ended(smtp, 1);
    assertThat(session.ending()).isEqualTo(Transcript.Ending.CLOSED_AFTER_421);
  }

  @Test
  void onlyTheNewestAfterRuleActs() {
    smtp.script("reply 250 \"older\" after RCPT", "reply 250 \"newer\" after RCPT");
    try (RawClient client = inTransaction("a@example.test")) {
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK).expect("250 newer");
      client.send("NOOP").expect(OK);
    }
  }

  @Test
  void aScripted421InAnAfterRuleClosesOnceTheNormalReplyWasSent() {
    smtp.script("reply 421 \"4.4.5 going down\" after RCPT");
    try (RawClient client = inTransaction("a@example.test")) {
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.expect("421 4.4.5 going down");
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    }
    assertThat(Sessions.ended(smtp, 1).ending()).isEqualTo(Transcript.Ending.CLOSED_AFTER_421);
  }

  @Test
  void aReplyInAnAfterMailRuleIsAnExtraUnsolicitedReply() {
    smtp.script("reply 550 \"5.0.0 unsolicited\" after MAIL");
    try (RawClient client = inTransaction(null)) {
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.expect("550 5.0.0 unsolicited");
      // the extra 550 changed nothing: the transaction the 250 opened is still there
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      client.send("Subject: x").send("").send("y").send(".").expect(QUEUED);
    }
    // a message becomes visible just after its 250 was flushed: wait for it, do not peek
    assertThat(smtp.takeMessage(Duration.ofSeconds(5)).from()).isEqualTo("a@example.test");
    assertThat(smtp.transcript().toString())
        .contains("C: MAIL FROM:<a@example.test>\nS: 250 2.1.0 Ok\nS: 550 5.0.0 unsolicited\n");
  }
}
