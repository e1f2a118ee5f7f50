package dev.smtpdouble.script;

import static dev.smtpdouble.testing.Replies.BYE;
import static dev.smtpdouble.testing.Replies.GREETING;
import static dev.smtpdouble.testing.Replies.HELO_OK;
import static dev.smtpdouble.testing.Replies.MAIL_OK;
import static dev.smtpdouble.testing.Replies.OK;
import static dev.smtpdouble.testing.Replies.RCPT_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smtpdouble.testing.Replies;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Rule;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.script.SpecExample.Form;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each example line of SPEC §4, end to end: stated as script text and again through the Java API, a
 * real client (Jakarta Mail, or a raw socket where only bytes and timing show the effect) sees
 * exactly the scripted behaviour, the capture records what SPEC §2 says, and the transcript shows
 * it.
 */
@Timeout(60)
class SpecExamplesEndToEndTest {
  private static final Duration TAKE = Duration.ofSeconds(5);

  private SmtpDouble smtp;

  @BeforeEach
  void start() {
    smtp = SmtpDouble.start();
  }

  @AfterEach
  void stop() {
    smtp.close();
  }

  private void install(Form form, SpecExample example) {
    form.install(smtp, example);
    assertThat(smtp.rules()).containsExactly(Rule.parse(example.text));
  }

  private String transcript() {
    return smtp.transcript().toString();
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply211ToHelpAnswersWithTheStandardText(Form form) throws Exception {
    install(form, SpecExample.REPLY_211_TO_HELP);

    SMTPTransport transport = Jakarta.connect(Jakarta.session(smtp));
    try {
      assertThat(transport.simpleCommand("HELP")).isEqualTo(211);
      assertThat(last(transport)).isEqualTo("211 2.0.0 System status, or system help reply");
      assertThat(transport.simpleCommand("HELP MAIL")).isEqualTo(211);
      assertThat(transport.simpleCommand("NOOP")).isEqualTo(250);
    } finally {
      Jakarta.closeQuietly(transport);
    }

    assertThat(transcript())
        .contains("C: HELP\nS: 211 2.0.0 System status, or system help reply\n")
        .contains("C: HELP MAIL\nS: 211 2.0.0 System status, or system help reply\n")
        .contains("C: NOOP\nS: 250 2.0.0 Ok\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply211WithTextToHelpAnswersWithThatText(Form form) throws Exception {
    install(form, SpecExample.REPLY_211_TEXT_TO_HELP);

    SMTPTransport transport = Jakarta.connect(Jakarta.session(smtp));
    try {
      assertThat(transport.simpleCommand("HELP")).isEqualTo(211);
      assertThat(last(transport)).isEqualTo("211 System status: all queues empty");
    } finally {
      Jakarta.closeQuietly(transport);
    }

    assertThat(transcript()).contains("C: HELP\nS: 211 System status: all queues empty\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply354Then554AfterDataRejectsTheMessageButRecordsIt(Form form) throws Exception {
    install(form, SpecExample.REPLY_354_THEN_554_AFTER_DATA);

    Throwable thrown = catchThrowable(() -> Jakarta.send(smtp, "Spam?", "alice@example.test"));

    assertThat(thrown)
        .asInstanceOf(InstanceOfAssertFactories.type(SMTPSendFailedException.class))
        .satisfies(e -> assertThat(e.getReturnCode()).isEqualTo(554))
        .satisfies(e -> assertThat(e.getMessage()).contains("554 5.0.0 Transaction failed"));
    ReceivedMessage message = smtp.takeMessage(TAKE);
    assertThat(message.accepted()).isFalse();
    assertThat(message.reply())
        .hasValueSatisfying(
            reply -> {
              assertThat(reply.code()).isEqualTo(554);
              assertThat(reply.text()).isEqualTo("5.0.0 Transaction failed");
            });
    assertThat(message.subject()).isEqualTo("Spam?");
    assertThat(message.recipients()).containsExactly("alice@example.test");
    assertThat(transcript())
        .contains("C: DATA\nS: 354 End data with <CR><LF>.<CR><LF>\n")
        .contains("C: .\nS: 554 5.0.0 Transaction failed\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply354WithTextThen554WithTextAfterData(Form form) throws Exception {
    install(form, SpecExample.REPLY_354_TEXT_THEN_554_TEXT_AFTER_DATA);

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("HELO client.test").expect(HELO_OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expect("354 Go ahead");
      client.send("Subject: raw").send("").send("..body").send(".");
      client.expect("554 5.7.1 Message rejected as spam");
      client.send("QUIT").expect(BYE);
    }
    ReceivedMessage raw = smtp.takeMessage(TAKE);
    assertThat(raw.data())
        .isEqualTo("Subject: raw\r\n\r\n.body\r\n".getBytes(StandardCharsets.UTF_8));
    assertThat(raw.accepted()).isFalse();
    assertThat(raw.reply().orElseThrow().lines()).containsExactly("5.7.1 Message rejected as spam");

    assertThatThrownBy(() -> Jakarta.send(smtp, "Buy now", "alice@example.test"))
        .isInstanceOf(SendFailedException.class)
        .hasMessageContaining("554 5.7.1 Message rejected as spam");
    ReceivedMessage viaJakarta = smtp.takeMessage(TAKE);
    assertThat(viaJakarta.subject()).isEqualTo("Buy now");
    assertThat(viaJakarta.accepted()).isFalse();

    assertThat(transcript())
        .contains("C: DATA\nS: 354 Go ahead\nC: Subject: raw\nC: \nC: ..body\nC: .\n")
        .contains("C: .\nS: 554 5.7.1 Message rejected as spam\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply550ToRcptPatternRefusesOnlyTheMatchingRecipients(Form form) throws Exception {
    install(form, SpecExample.REPLY_550_TO_RCPT_PATTERN);

    Session session = Jakarta.session(smtp, 5000, "mail.smtp.sendpartial", "true");
    MimeMessage message =
        Jakarta.message(session, "Partly", "alice@ok.test", "Bob@Blocked.TEST", "carol@ok.test");
    Throwable thrown = catchThrowable(() -> Transport.send(message));

    assertThat(thrown).isInstanceOf(SendFailedException.class);
    SendFailedException failed = (SendFailedException) thrown;
    assertThat(Arrays.toString(failed.getInvalidAddresses())).isEqualTo("[Bob@Blocked.TEST]");
    assertThat(Arrays.toString(failed.getValidSentAddresses()))
        .isEqualTo("[alice@ok.test, carol@ok.test]");
    assertThat(failed.getNextException())
        .isInstanceOfSatisfying(
            SMTPAddressFailedException.class,
            e -> {
              assertThat(e.getReturnCode()).isEqualTo(550);
              assertThat(e.getMessage()).contains("5.1.1 No such user");
            });
    ReceivedMessage received = smtp.takeMessage(TAKE);
    assertThat(received.recipients()).containsExactly("alice@ok.test", "carol@ok.test");
    assertThat(received.accepted()).isTrue();

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("EHLO client.test").readReply();
      client.send("MAIL FROM:<>").expect(MAIL_OK);
      client.send("RCPT TO:dave@blocked.test").expect("550 5.1.1 No such user");
      client.send("RCPT TO:<eve@notblocked.test>").expect(RCPT_OK);
      client.send("RCPT TO:<frank@blocked.test.example>").expect(RCPT_OK);
    }
    assertThat(transcript())
        .contains("C: RCPT TO:<Bob@Blocked.TEST>\nS: 550 5.1.1 No such user\n")
        .contains("C: RCPT TO:<alice@ok.test>\nS: 250 2.1.5 Ok\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply421ToMailOnceRefusesTheFirstAttemptAndCloses(Form form) throws Exception {
    install(form, SpecExample.REPLY_421_TO_MAIL_ONCE);

    Session session = Jakarta.session(smtp);
    SMTPTransport transport = Jakarta.connect(session);
    MimeMessage first = Jakarta.message(session, "First", "alice@example.test");
    Throwable thrown = catchThrowable(() -> transport.sendMessage(first, first.getAllRecipients()));
    Jakarta.closeQuietly(transport);
    Jakarta.send(smtp, "Second", "alice@example.test");

    assertThat(thrown)
        .isInstanceOfSatisfying(
            SMTPSendFailedException.class,
            e -> {
              assertThat(e.getReturnCode()).isEqualTo(421);
              assertThat(e.getCommand()).startsWith("MAIL FROM:");
              assertThat(e.getMessage()).contains("421 4.3.2 Try again later");
            });
    assertThat(smtp.takeMessage(TAKE).subject()).isEqualTo("Second");
    assertThat(smtp.messages()).hasSize(1);
    Transcript.Session refused = Sessions.ended(smtp, 1);
    assertThat(refused.ending()).isEqualTo(Transcript.Ending.CLOSED_AFTER_421);
    assertThat(refused.toString())
        .contains("C: MAIL FROM:<shop@example.test>\nS: 421 4.3.2 Try again later\n")
        .doesNotContain("RCPT");
    assertThat(Sessions.ended(smtp, 2).toString())
        .contains("C: MAIL FROM:<shop@example.test>\nS: 250 2.1.0 Ok\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply451ToRcptTwoTimesGreylistsTheFirstTwoAttempts(Form form) throws Exception {
    install(form, SpecExample.REPLY_451_TO_RCPT_2_TIMES);

    for (String attempt : new String[] {"first", "second"}) {
      assertThatThrownBy(() -> Jakarta.send(smtp, attempt, "alice@example.test"))
          .as(attempt)
          .isInstanceOf(SendFailedException.class)
          .satisfies(
              e ->
                  assertThat(((SendFailedException) e).getNextException())
                      .isInstanceOfSatisfying(
                          SMTPAddressFailedException.class,
                          a -> assertThat(a.getReturnCode()).isEqualTo(451)));
    }
    Jakarta.send(smtp, "third", "alice@example.test");

    assertThat(smtp.takeMessage(TAKE).subject()).isEqualTo("third");
    assertThat(smtp.messages()).hasSize(1);
    String transcript = transcript();
    assertThat(transcript.split("S: 451 4.7.1 Greylisted\n", -1)).hasSize(3);
    assertThat(Sessions.ended(smtp, 3).toString())
        .contains("C: RCPT TO:<alice@example.test>\nS: 250 2.1.5 Ok\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply250MultiLineToEhloIsWhatTheClientIsTold(Form form) throws Exception {
    install(form, SpecExample.REPLY_250_MULTILINE_TO_EHLO);

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      assertThat(client.ehlo("client.test"))
          .containsExactly("250-mx.test greets you", "250-SIZE 1000", "250 PIPELINING");
    }

    Session session = Jakarta.session(smtp);
    SMTPTransport transport = Jakarta.connect(session);
    try {
      assertThat(transport.supportsExtension("PIPELINING")).isTrue();
      assertThat(transport.getExtensionParameter("SIZE")).isEqualTo("1000");
      assertThat(transport.supportsExtension("8BITMIME")).isFalse();
      assertThat(transport.supportsExtension("CHUNKING")).isFalse();
      // the builder's 50 MiB limit still holds: a body over the advertised 1000 octets arrives
      MimeMessage big = Jakarta.message(session, "Big", "alice@example.test");
      big.setText("x".repeat(5000));
      big.saveChanges();
      transport.sendMessage(big, big.getAllRecipients());
    } finally {
      Jakarta.closeQuietly(transport);
    }
    ReceivedMessage message = smtp.takeMessage(TAKE);
    assertThat(message.accepted()).isTrue();
    assertThat(message.size()).isGreaterThan(5000);
    assertThat(transcript())
        .contains(
            "C: EHLO app.example.test\n"
                + "S: 250-mx.test greets you\n"
                + "S: 250-SIZE 1000\n"
                + "S: 250 PIPELINING\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void reply554ToConnectRefusesTheSession(Form form) throws Exception {
    install(form, SpecExample.REPLY_554_TO_CONNECT);

    assertThatThrownBy(() -> Jakarta.send(smtp, "Refused", "alice@example.test"))
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("554 5.3.2 No service here");

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect("554 5.3.2 No service here");
      client.send("EHLO client.test").expectStart("503 ");
      client.send("MAIL FROM:<a@example.test>").expectStart("503 ");
      client.send("QUIT").expect(BYE);
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    }
    assertThat(smtp.messages()).isEmpty();
    assertThat(Sessions.ended(smtp, 2).toString())
        .contains("S: 554 5.3.2 No service here\nC: EHLO client.test\nS: 503 ");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void delay2sToConnectHoldsBackTheGreeting(Form form) throws Exception {
    install(form, SpecExample.DELAY_2S_TO_CONNECT);

    long start = System.nanoTime();
    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).isBetween(1900L, 4500L);
      client.send("NOOP").expect(OK);
    }
    // a client whose read timeout is shorter than the delay gives up waiting for the greeting
    Session impatient = Jakarta.session(smtp, 700);
    Throwable thrown = catchThrowable(() -> Jakarta.connect(impatient));
    assertThat(thrown)
        .isInstanceOf(MessagingException.class)
        .hasRootCauseInstanceOf(SocketTimeoutException.class);

    assertThat(Sessions.showing(smtp, 1, "C: NOOP").toString())
        .contains("* delayed 2000 ms by script\nS: 220 localhost ESMTP\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void delay500msThenReply250ToMail(Form form) throws Exception {
    install(form, SpecExample.DELAY_500MS_REPLY_250_TO_MAIL);

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("HELO client.test").expect(HELO_OK);
      long start = System.nanoTime();
      client.send("MAIL FROM:<a@example.test>");
      client.expect("250 2.0.0 Requested mail action okay, completed");
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(450L, 3000L);
      // the scripted 250 started the transaction, as the normal reply would
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
    }

    long start = System.nanoTime();
    Jakarta.send(smtp, "Slow", "alice@example.test");
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(450L);
    assertThat(smtp.takeMessage(TAKE).subject()).isEqualTo("Slow");
    assertThat(transcript())
        .contains(
            "C: MAIL FROM:<a@example.test>\n"
                + "* delayed 500 ms by script\n"
                + "S: 250 2.0.0 Requested mail action okay, completed\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void disconnectAfterDataRecordsTheMessageWithoutAReply(Form form) throws Exception {
    install(form, SpecExample.DISCONNECT_AFTER_DATA);

    Throwable thrown = catchThrowable(() -> Jakarta.send(smtp, "Lost?", "alice@example.test"));

    assertThat(thrown).isInstanceOf(MessagingException.class);
    ReceivedMessage message = smtp.takeMessage(TAKE);
    assertThat(message.subject()).isEqualTo("Lost?");
    assertThat(message.reply()).isEmpty();
    assertThat(message.accepted()).isFalse();

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("HELO client.test").expect(HELO_OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA").expectStart("354 ");
      client.send("Subject: raw").send("").send("body").send(".");
      assertThat(client.awaitEnd(2000)).isEqualTo("EOF");
    }
    ReceivedMessage raw = smtp.takeMessage(TAKE);
    assertThat(raw.data())
        .isEqualTo("Subject: raw\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
    assertThat(raw.reply()).isEmpty();
    Transcript.Session session = Sessions.ended(smtp, 2);
    assertThat(session.ending()).isEqualTo(Transcript.Ending.SCRIPT_DISCONNECT);
    assertThat(session.toString()).endsWith("C: body\nC: .\n* disconnected by script\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void resetToRcptOnSecondAbortsTheSecondRecipientCommandOnly(Form form) throws Exception {
    install(form, SpecExample.RESET_TO_RCPT_ON_2ND);

    Jakarta.send(smtp, "one", "alice@example.test");
    Throwable second = catchThrowable(() -> Jakarta.send(smtp, "two", "alice@example.test"));
    Jakarta.send(smtp, "three", "alice@example.test");

    assertThat(second).isInstanceOf(MessagingException.class);
    assertThat(causes(second))
        .anySatisfy(
            cause ->
                assertThat(cause)
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset"));
    assertThat(smtp.messages())
        .extracting(ReceivedMessage::subject)
        .containsExactly("one", "three");
    Transcript.Session reset = Sessions.ended(smtp, 2);
    assertThat(reset.ending()).isEqualTo(Transcript.Ending.SCRIPT_RESET);
    assertThat(reset.toString()).endsWith("C: RCPT TO:<alice@example.test>\n* reset by script\n");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void stallToDataLeavesTheClientWaitingUntilItGivesUp(Form form) throws Exception {
    install(form, SpecExample.STALL_TO_DATA);

    long start = System.nanoTime();
    Throwable thrown =
        catchThrowable(
            () ->
                Transport.send(Jakarta.message(Jakarta.session(smtp, 500), "Stalled", "a@b.test")));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(thrown).isInstanceOf(MessagingException.class);
    assertThat(causes(thrown))
        .anySatisfy(c -> assertThat(c).isInstanceOf(SocketTimeoutException.class));
    assertThat(millis).isBetween(450L, 4000L);
    assertThat(smtp.messages()).isEmpty();

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("HELO client.test").expect(HELO_OK);
      client.send("MAIL FROM:<a@example.test>").expect(MAIL_OK);
      client.send("RCPT TO:<b@example.test>").expect(RCPT_OK);
      client.send("DATA");
      assertThat(client.awaitEnd(400)).isEqualTo("OPEN");
      client.send("NOOP");
      assertThat(client.awaitEnd(300)).isEqualTo("OPEN");
      Transcript.Session open = Sessions.showing(smtp, 2, "C: NOOP");
      assertThat(open.ending()).isEqualTo(Transcript.Ending.OPEN);
      assertThat(open.toString())
          .endsWith(
              "C: DATA\n"
                  + "* stalled by script: no reply until the client or the double closes\n"
                  + "C: NOOP\n");
    }
    assertThat(Sessions.ended(smtp, 2).ending()).isEqualTo(Transcript.Ending.CLIENT_CLOSED);
    assertThat(smtp.messages()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void sendToNoopWritesTheRawBytesAndDesynchronisesTheClient(Form form) throws Exception {
    install(form, SpecExample.SEND_TO_NOOP);

    try (RawClient client = RawClient.connect(smtp)) {
      client.expect(GREETING);
      client.send("NOOP");
      byte[] expected = "250 ok\r\n250 surprise\r\n".getBytes(StandardCharsets.US_ASCII);
      assertThat(client.readBytes(expected.length)).isEqualTo(expected);
      assertThat(client.awaitEnd(200)).isEqualTo("OPEN");
    }

    SMTPTransport transport = Jakarta.connect(Jakarta.session(smtp));
    try {
      assertThat(transport.simpleCommand("NOOP")).isEqualTo(250);
      assertThat(last(transport)).isEqualTo("250 ok");
      // the unsolicited second line is taken as the answer to the next command
      assertThat(transport.simpleCommand("HELP")).isEqualTo(250);
      assertThat(last(transport)).isEqualTo("250 surprise");
    } finally {
      Jakarta.closeQuietly(transport);
    }
    assertThat(transcript()).contains("C: NOOP\nS: 250 ok\nS: 250 surprise\n");
  }

  /** The last reply Jakarta read, without the line break it keeps. */
  private static String last(SMTPTransport transport) {
    return transport.getLastServerResponse().strip();
  }

  private static List<Throwable> causes(Throwable thrown) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && !chain.contains(t); ) {
      chain.add(t);
      Throwable next = t.getCause();
      if (next == null && t instanceof MessagingException m) {
        next = m.getNextException();
      }
      t = next;
    }
    return chain;
  }
}
