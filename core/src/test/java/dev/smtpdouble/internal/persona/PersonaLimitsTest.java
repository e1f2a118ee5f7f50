package dev.smtpdouble.internal.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.Persona;
import dev.smtpdouble.internal.protocol.EncodedReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limits with a clock the test drives: windows open and close without sleeping. */
@Timeout(10)
class PersonaLimitsTest {
  private static final EncodedReply OK = EncodedReply.of(250, "2.0.0 Ok");
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  private static String text(EncodedReply reply) {
    return reply.reply().toString();
  }

  @Test
  void sesRefusesRecipientsBeyondTheSendingRateUntilTheWindowMovesOn() {
    PersonaLimits limits =
        new PersonaLimits(Persona.SES_SMTP.limit("sending-rate", 2, Duration.ofSeconds(1)), now::get);
    Object session = new Object();
    assertThat(limits.atEndOfData(session, "", "a@x.test", List.of("r1@x.test"), OK)).isSameAs(OK);
    advance(Duration.ofMillis(400));
    assertThat(limits.atEndOfData(session, "", "a@x.test", List.of("r2@x.test"), OK)).isSameAs(OK);
    assertThat(text(limits.atEndOfData(session, "", "a@x.test", List.of("r3@x.test"), OK)))
        .isEqualTo("454 Throttling failure: Maximum sending rate exceeded");
    advance(Duration.ofMillis(600)); // the first recipient leaves the window
    assertThat(limits.atEndOfData(session, "", "a@x.test", List.of("r3@x.test"), OK)).isSameAs(OK);
    assertThat(text(limits.atEndOfData(session, "", "a@x.test", List.of("r4@x.test"), OK)))
        .startsWith("454 ");
  }

  @Test
  void aMessageWithMoreRecipientsThanTheRateAllowsIsRefusedWhole() {
    PersonaLimits limits =
        new PersonaLimits(Persona.SES_SMTP.limit("sending-rate", 2, Duration.ofSeconds(1)), now::get);
    assertThat(text(limits.atEndOfData(new Object(), "", "a@x.test", List.of("1", "2", "3"), OK)))
        .startsWith("454 ");
    assertThat(limits.atEndOfData(new Object(), "", "a@x.test", List.of("1", "2"), OK)).isSameAs(OK);
  }

  @Test
  void theDailyQuotaCountsRecipientsOverTwentyFourHours() {
    PersonaLimits limits =
        new PersonaLimits(Persona.SES_SMTP.limit("daily-quota", 3, null).limit("sending-rate", 100, null), now::get);
    assertThat(limits.atEndOfData(new Object(), "", "a@x.test", List.of("1", "2"), OK)).isSameAs(OK);
    advance(Duration.ofHours(23));
    assertThat(limits.atEndOfData(new Object(), "", "a@x.test", List.of("3"), OK)).isSameAs(OK);
    assertThat(text(limits.atEndOfData(new Object(), "", "a@x.test", List.of("4"), OK)))
        .isEqualTo("454 Throttling failure: Daily message quota exceeded");
    advance(Duration.ofHours(1));
    assertThat(limits.atEndOfData(new Object(), "", "a@x.test", List.of("4"), OK)).isSameAs(OK);
  }

  @Test
  void countsAreKeptPerUserAndForgottenOnReset() {
    PersonaLimits limits =
        new PersonaLimits(Persona.SES_SMTP.limit("sending-rate", 1, Duration.ofSeconds(1)), now::get);
    assertThat(limits.atEndOfData(new Object(), "alice", "a@x.test", List.of("1"), OK)).isSameAs(OK);
    assertThat(limits.atEndOfData(new Object(), "bob", "b@x.test", List.of("1"), OK)).isSameAs(OK);
    assertThat(text(limits.atEndOfData(new Object(), "alice", "a@x.test", List.of("2"), OK))).startsWith("454 ");
    limits.reset();
    assertThat(limits.atEndOfData(new Object(), "alice", "a@x.test", List.of("2"), OK)).isSameAs(OK);
  }

  @Test
  void microsoft365RefusesMailOnTheFourthConnectionOfAMailboxUntilOneEnds() {
    PersonaLimits limits = new PersonaLimits(Persona.M365_SUBMISSION, now::get);
    Object[] sessions = {new Object(), new Object(), new Object(), new Object()};
    for (Object session : sessions) {
      limits.authenticated(session, "printer@contoso.test");
    }
    Object other = new Object();
    limits.authenticated(other, "scanner@contoso.test");
    for (int i = 0; i < 3; i++) {
      assertThat(limits.atMail(sessions[i], "printer@contoso.test", "p@contoso.test", OK)).isSameAs(OK);
    }
    assertThat(limits.atMail(other, "scanner@contoso.test", "s@contoso.test", OK)).isSameAs(OK);
    assertThat(text(limits.atMail(sessions[3], "printer@contoso.test", "p@contoso.test", OK)))
        .isEqualTo("432 4.3.2 Concurrent connections limit exceeded.");
    limits.ended(sessions[0]);
    assertThat(limits.atMail(sessions[3], "printer@contoso.test", "p@contoso.test", OK)).isSameAs(OK);
  }

  @Test
  void anUnverifiedSenderIsNamedInTheRefusal() {
    PersonaLimits limits = new PersonaLimits(Persona.SES_SMTP.with("unverified-sender"), now::get);
    assertThat(text(limits.atEndOfData(new Object(), "", "app@example.test", List.of("r@x.test"), OK)))
        .isEqualTo(
            "554 Message rejected: Email address is not verified. The following identities failed"
                + " the check in region US-EAST-1: app@example.test");
  }

  @Test
  void gmailRefusesMailOnceTheDailyMessagesAreUsed() {
    PersonaLimits limits = new PersonaLimits(Persona.GMAIL_SUBMISSION.scaledLimits(0.001), now::get);
    for (int i = 0; i < 2; i++) {
      assertThat(limits.atMail(new Object(), "u", "u@gmail.test", OK)).isSameAs(OK);
      limits.atEndOfData(new Object(), "u", "u@gmail.test", List.of("r"), OK);
    }
    assertThat(text(limits.atMail(new Object(), "u", "u@gmail.test", OK)))
        .isEqualTo("550 5.4.5 Daily sending quota exceeded. n37sm954097wag");
  }
}
