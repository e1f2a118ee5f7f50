package dev.smtpdouble.examples.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.ClientTls;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Tls;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.examples.catalogue.Run.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The fault catalogue: every fault the table reports, in its order. Each one states only what
 * must hold for any client (nothing delivered when the greeting refuses, a retry when a client
 * reports success after a 421, ...); what each client actually does is asserted against the
 * checked-in table.
 */
final class Faults {
  /** The timeout clients get unless the fault is about timeouts: long enough never to matter. */
  static final Duration RELAXED = Duration.ofSeconds(5);

  /** The timeout where a timeout is the point. */
  static final Duration SHORT = Duration.ofSeconds(2);

  private static final Duration FAST = Duration.ofSeconds(5);

  /**
   * The faults where the server closes while the client still has something to write (an RSET,
   * a QUIT, the body): whether that write meets the reset of the closed socket before the client
   * reports is a race on loopback, against smtp-sink as against the double, so what the caller got
   * can change from run to run. The table's check leaves that cell out for these.
   */
  static final Set<String> CLOSE_RACES =
      Set.of("mail-421-once", "disconnect-after-data", "disconnect-on-data", "abort-after-354");

  /** The mailbox the Microsoft 365 persona faults log in as. */
  private static final String M365_USER = "printer@contoso.test";

  private static final String M365_SECRET = "m365-secret";

  private Faults() {}

  /**
   * The catalogue.
   *
   * @param trust what clients trust when a fault has them require STARTTLS
   * @return the faults, in the table's order
   */
  static List<Fault> all(ClientTls trust) {
    ClientSettings relaxed = ClientSettings.timeout(RELAXED);
    return List.of(
        new Fault(
            "no-fault",
            "No fault",
            "The baseline: a well-behaved server.",
            "",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              sent(run);
              assertThat(run.accepted()).hasSize(1);
              assertThat(run.sessions()).isEqualTo(1);
            }),
        new Fault(
            "greeting-554",
            "Greeting 554",
            "The server refuses the connection in its greeting. Does the client give up at once?",
            "reply 554 \"5.3.2 No service here\" to CONNECT",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
            }),
        new Fault(
            "greeting-421",
            "Greeting 421",
            "The server is busy and closes after its greeting. Does the client reconnect?",
            "reply 421 \"4.3.2 Too busy, try again later\" to CONNECT",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
            }),
        new Fault(
            "mail-421-once",
            "421 on MAIL once, then success",
            "The first MAIL gets 421 and the connection is closed; a second attempt would succeed."
                + " Does the client retry on its own?",
            "reply 421 \"4.3.2 Try again later\" to MAIL once",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              assertThat(run.answered("MAIL", "421")).as("the first MAIL got 421").isTrue();
              succeedsOnlyByRetrying(run);
            }),
        new Fault(
            "greylisting",
            "Greylisting: 451 on RCPT twice",
            "The first two RCPTs get a temporary 451, as a greylisting server answers."
                + " Does the client retry?",
            "reply 451 \"4.7.1 Greylisted, try again later\" to RCPT 2 times",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              assertThat(run.answered("RCPT", "451")).as("RCPT got 451").isTrue();
              succeedsOnlyByRetrying(run);
            }),
        new Fault(
            "one-recipient-550",
            "One recipient of three refused with 550",
            "bob does not exist; alice and carol do. Does the client send to the other two, or"
                + " nothing, and does it say so?",
            "reply 550 \"5.1.1 No such user\" to RCPT <bob@example.test>",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.toThree(),
            FAST,
            run -> {
              assertThat(run.answered("RCPT", "550")).as("bob's RCPT got 550").isTrue();
              for (ReceivedMessage message : run.messages()) {
                assertThat(message.recipients()).doesNotContain("bob@example.test");
              }
              if (run.outcome() == Outcome.SENT) {
                assertThat(run.accepted())
                    .singleElement()
                    .satisfies(
                        message ->
                            assertThat(message.recipients())
                                .containsExactly("alice@example.test", "carol@example.test"));
              }
            }),
        new Fault(
            "size-552",
            "552: message over the size limit",
            "The server advertises SIZE 1000 and the message is about 4 000 octets. Does the client"
                + " check SIZE first, or send and get 552?",
            "",
            builder -> builder.sizeLimit(1000),
            "`sizeLimit(1000)`",
            relaxed,
            Mail.ofSize(4000),
            FAST,
            run -> {
              failed(run);
              assertThat(run.accepted()).isEmpty();
              assertThat(run.exchanges().stream().anyMatch(exchange -> exchange.reply().equals("552")) || run.count("MAIL") == 0)
                  .as("the double answered 552, or the client checked SIZE itself and sent no MAIL")
                  .isTrue();
            }),
        new Fault(
            "data-554",
            "354, then 554 after the data",
            "The server takes the whole message, then rejects it. Does the client surface the 554?",
            "reply 354 then 554 \"5.7.1 Message rejected as spam\" after DATA",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages())
                  .isNotEmpty()
                  .allSatisfy(message -> assertThat(message.accepted()).isFalse());
              assertThat(run.messages().get(0).reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(554));
            }),
        new Fault(
            "disconnect-after-data",
            "Disconnect after the data",
            "The server receives the whole message and closes without a reply: the \"was it"
                + " delivered?\" case. What does the client tell the caller? (The double records the"
                + " message, with no reply.)",
            "disconnect after DATA",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              assertThat(run.messages())
                  .as("the double keeps every body it received")
                  .isNotEmpty()
                  .allSatisfy(message -> assertThat(message.reply()).isEmpty());
              assertThat(run.transcript().sessions().get(0).ending())
                  .isEqualTo(Transcript.Ending.SCRIPT_DISCONNECT);
            }),
        new Fault(
            "disconnect-on-data",
            "Disconnect on DATA",
            "The server closes the connection, without a reply, when it sees DATA (as smtp-sink's"
                + " `-q DATA` does).",
            "disconnect to DATA",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
              assertThat(run.transcript().sessions().get(0).ending())
                  .isEqualTo(Transcript.Ending.SCRIPT_DISCONNECT);
            }),
        new Fault(
            "abort-after-354",
            "354 and 550 at once, then close",
            "The server answers DATA with 354 and, in the same write, 550, and closes before the"
                + " body arrives (as smtp-sink's `-A 0` does).",
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n550 This violates SMTP\\r\\n\","
                + " disconnect to DATA",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
            }),
        new Fault(
            "reset-on-rcpt",
            "Connection reset on RCPT",
            "The server aborts the connection (TCP RST) when it sees RCPT.",
            "reset to RCPT",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
              assertThat(run.transcript().sessions().get(0).ending())
                  .isEqualTo(Transcript.Ending.SCRIPT_RESET);
            }),
        new Fault(
            "stall-on-data",
            "Stall on DATA, client timeout 2 s",
            "The server never answers DATA. Does the client give up after its 2 s timeout?",
            "stall to DATA",
            UnaryOperator.identity(),
            "",
            ClientSettings.timeout(SHORT),
            Mail.standard(),
            Duration.ofSeconds(6),
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
              assertThat(run.elapsed()).as("waited for its timeout").isGreaterThan(Duration.ofMillis(1900));
            }),
        new Fault(
            "slow-greeting-patient",
            "Greeting after 3 s, client timeout 5 s",
            "A slow server, a patient client: does it wait for the greeting?",
            "delay 3s to CONNECT",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            Duration.ofSeconds(8),
            run -> {
              sent(run);
              assertThat(run.accepted()).hasSize(1);
              assertThat(run.elapsed()).as("waited for the greeting").isGreaterThan(Duration.ofMillis(2900));
            }),
        new Fault(
            "slow-greeting-impatient",
            "Greeting after 3 s, client timeout 2 s",
            "A slow server, an impatient client: does it give up before the greeting?",
            "delay 3s to CONNECT",
            UnaryOperator.identity(),
            "",
            ClientSettings.timeout(SHORT),
            Mail.standard(),
            Duration.ofSeconds(8),
            run -> {
              if (run.outcome() == Outcome.SENT) {
                assertThat(run.elapsed()).as("a client that sent waited for the greeting").isGreaterThan(Duration.ofMillis(2900));
              } else {
                assertThat(run.messages()).isEmpty();
                assertThat(run.elapsed()).as("gave up after its timeout").isBetween(Duration.ofMillis(1900), Duration.ofMillis(2900));
              }
            }),
        new Fault(
            "malformed-reply",
            "Malformed reply to MAIL",
            "The server answers MAIL with a line that has no reply code.",
            "send \"Ok, sender accepted\\r\\n\" to MAIL",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              assertThat(run.answered("MAIL", "malformed")).isTrue();
              assertThat(run.accepted()).as("the double never accepted the sender").isEmpty();
            }),
        new Fault(
            "ehlo-without-pipelining",
            "Multi-line EHLO without PIPELINING",
            "The EHLO reply lists SIZE, 8BITMIME and ENHANCEDSTATUSCODES but not PIPELINING."
                + " Does the client still send the message, and does it wait for each reply?",
            "reply 250 \"localhost greets you\" \"SIZE 52428800\" \"8BITMIME\" \"ENHANCEDSTATUSCODES\" to EHLO",
            UnaryOperator.identity(),
            "",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              sent(run);
              assertThat(run.accepted()).hasSize(1);
            }),
        new Fault(
            "starttls-not-offered",
            "STARTTLS required by the client, not offered",
            "The client requires STARTTLS; the server has no TLS. It must refuse to send in clear.",
            "",
            UnaryOperator.identity(),
            "no TLS",
            relaxed.requiringStartTls(trust),
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
              assertThat(run.count("MAIL")).as("MAIL commands sent in clear").isZero();
            }),
        new Fault(
            "starttls-offered",
            "STARTTLS required by both",
            "The client requires STARTTLS and trusts the double's CA; the server requires it too.",
            "",
            builder -> builder.tls(Tls.starttls().required()),
            "`tls(Tls.starttls().required())`",
            relaxed.requiringStartTls(trust),
            Mail.standard(),
            FAST,
            run -> {
              sent(run);
              assertThat(run.accepted()).singleElement().satisfies(message -> assertThat(message.encrypted()).isTrue());
            }),
        new Fault(
            "starttls-client-default",
            "STARTTLS required by the server, client left at its defaults",
            "The server requires STARTTLS; the client was not told about TLS (and does not trust the"
                + " double's CA). Does it upgrade on its own, and what fails?",
            "",
            builder -> builder.tls(Tls.starttls().required()),
            "`tls(Tls.starttls().required())`",
            relaxed,
            Mail.standard(),
            FAST,
            run -> {
              assertThat(run.messages())
                  .as("nothing travelled in clear")
                  .allSatisfy(message -> assertThat(message.encrypted()).isTrue());
              if (run.outcome() != Outcome.SENT) {
                assertThat(run.messages()).isEmpty();
              }
            }),
        new Fault(
            "auth-failure",
            "AUTH with a wrong password",
            "The server requires AUTH; the client logs in as alice with the wrong password.",
            "",
            builder -> builder.user("alice", "s3cret").requireAuth(),
            "`user(\"alice\", \"s3cret\").requireAuth()`",
            relaxed.loggingInAs("alice", "wrong"),
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
              assertThat(run.exchanges()).anyMatch(exchange -> exchange.command().startsWith("AUTH") || exchange.command().equals("(secret)"));
              assertThat(run.exchanges()).anyMatch(exchange -> exchange.reply().equals("535"));
            }),
        new Fault(
            "persona-ses-throttling",
            "Amazon SES: maximum sending rate exceeded (persona)",
            "The double answers as Amazon SES over its rate: the message is refused at the end of"
                + " its data with SES's own 454 text. What does a retry loop around the client see?"
                + " (SES says the 454 is worth retrying.)",
            "persona ses-smtp with throttling",
            builder -> builder.user("AKIAEXAMPLE", "ses-secret"),
            "`user(\"AKIAEXAMPLE\", \"ses-secret\")`",
            relaxed.requiringStartTls(trust).loggingInAs("AKIAEXAMPLE", "ses-secret"),
            Mail.standard(),
            FAST,
            run -> {
              assertThat(run.exchanges()).anyMatch(exchange -> exchange.reply().equals("454"));
              assertThat(run.messages())
                  .isNotEmpty()
                  .allSatisfy(message -> assertThat(message.reply()).hasValueSatisfying(
                      r -> assertThat(r.toString())
                          .isEqualTo("454 Throttling failure: Maximum sending rate exceeded")));
              succeedsOnlyByRetrying(run);
            }),
        new Fault(
            "persona-m365-connections",
            "Microsoft 365: concurrent connection limit (persona)",
            "The double answers as Microsoft 365 when a mailbox already has three connections"
                + " sending: MAIL gets 432 4.3.2. What does a retry loop around the client see?",
            "persona m365-submission with throttling",
            builder -> builder.user(M365_USER, M365_SECRET),
            "`user(\"" + M365_USER + "\", \"" + M365_SECRET + "\")`",
            relaxed.requiringStartTls(trust).loggingInAs(M365_USER, M365_SECRET),
            Mail.standard(),
            FAST,
            run -> {
              assertThat(run.answered("MAIL", "432")).as("MAIL got 432").isTrue();
              assertThat(run.messages()).isEmpty();
              failed(run);
            }),
        new Fault(
            "persona-m365-auth-disabled",
            "Microsoft 365: SMTP AUTH disabled for the tenant (persona)",
            "The double answers as Microsoft 365 with SMTP AUTH turned off: every AUTH gets"
                + " 535 5.7.139. Does the caller learn why?",
            "persona m365-submission with auth-disabled",
            builder -> builder.user(M365_USER, M365_SECRET),
            "`user(\"" + M365_USER + "\", \"" + M365_SECRET + "\")`",
            relaxed.requiringStartTls(trust).loggingInAs(M365_USER, M365_SECRET),
            Mail.standard(),
            FAST,
            run -> {
              failed(run);
              assertThat(run.messages()).isEmpty();
              assertThat(run.exchanges()).anyMatch(exchange -> exchange.reply().equals("535"));
            }));
  }

  private static void sent(Run run) {
    assertThat(run.outcome()).as("outcome (error: %s)", run.error()).isEqualTo(Outcome.SENT);
  }

  private static void failed(Run run) {
    assertThat(run.outcome()).as("outcome").isEqualTo(Outcome.FAILED);
  }

  /** A client that reports success after a temporary failure must have tried again. */
  private static void succeedsOnlyByRetrying(Run run) {
    if (run.outcome() == Outcome.SENT) {
      assertThat(run.retried()).as("a client that reports success must have retried").isTrue();
      assertThat(run.accepted()).hasSize(1);
    } else {
      assertThat(run.accepted()).isEmpty();
    }
  }
}
