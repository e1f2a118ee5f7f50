package dev.smtpdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The persona files and the persona values: sources, parsing, situations, scaling. */
@Timeout(30)
class PersonaTest {

  /** Where each persona's provider publishes its own documentation. */
  private static final Map<String, String> PROVIDER_SITES =
      Map.of(
          "gmail-submission", "https://support.google.com/",
          "gmail-mx", "https://support.google.com/",
          "m365-submission", "https://learn.microsoft.com/",
          "ses-smtp", "https://docs.aws.amazon.com/");

  @Test
  void everyPersonaLoadsDatedAndVersionedWithTheProvidersOwnPageFirst() {
    assertThat(Persona.all()).extracting(Persona::name).containsExactlyElementsOf(Persona.names());
    for (Persona persona : Persona.all()) {
      assertThat(persona.version()).isPositive();
      assertThat(persona.dated()).isNotNull();
      assertThat(persona.title()).isNotBlank();
      assertThat(persona.sources().get(0).url()).startsWith(PROVIDER_SITES.get(persona.name()));
      assertThat(persona.missing()).as(persona.name() + " says what it leaves out").isNotEmpty();
      assertThat(persona.situations()).as(persona.name()).isNotEmpty();
    }
  }

  @Test
  void everyReplySettingAndLimitCitesDeclaredSources() {
    for (Persona persona : Persona.all()) {
      List<List<String>> citations = new ArrayList<>();
      persona.replies().forEach(q -> citations.add(q.sources()));
      persona.settings().forEach(s -> citations.add(s.sources()));
      persona.limits().forEach(l -> citations.add(l.sources()));
      persona.situations().forEach(s -> s.limits().forEach(l -> citations.add(l.sources())));
      for (List<String> ids : citations) {
        assertThat(ids).isNotEmpty();
        ids.forEach(id -> assertThat(persona.source(id)).as(persona.name() + " cites " + id).isPresent());
      }
      persona.replies().forEach(q -> assertThat(q.meaning()).isNotBlank());
    }
  }

  @Test
  void theReplyTextsAreTheProvidersOwn() {
    assertThat(Persona.SES_SMTP.reply("rate-exceeded").orElseThrow().reply().toString())
        .isEqualTo("454 Throttling failure: Maximum sending rate exceeded");
    assertThat(Persona.M365_SUBMISSION.reply("concurrent-connections").orElseThrow().reply().toString())
        .isEqualTo("432 4.3.2 Concurrent connections limit exceeded.");
    assertThat(Persona.M365_SUBMISSION.reply("auth-disabled").orElseThrow().reply().code()).isEqualTo(535);
    assertThat(Persona.GMAIL_SUBMISSION.reply("bad-credentials").orElseThrow().reply().lines())
        .hasSize(2)
        .first()
        .isEqualTo("5.7.8 Username and Password not accepted. Learn more at");
    assertThat(Persona.GMAIL_MX.reply("rate-limited").orElseThrow().reply().text()).startsWith("4.7.28 ");
  }

  @Test
  void aSpecReadsBackFromItsText() {
    Persona persona = Persona.parse("ses-smtp with throttling, unverified-sender limits x0.001");
    assertThat(persona.activeSituations()).containsExactly("throttling", "unverified-sender");
    assertThat(persona.toString()).isEqualTo("ses-smtp with throttling, unverified-sender limits x0.001");
    assertThat(Persona.parse(persona.toString())).isEqualTo(persona);
    Persona explicit = Persona.parse("ses-smtp limit sending-rate 2 per 100ms");
    assertThat(explicit.limits()).filteredOn(l -> l.name().equals("sending-rate")).singleElement()
        .satisfies(l -> {
          assertThat(l.count()).isEqualTo(2);
          assertThat(l.window()).isEqualTo(Duration.ofMillis(100));
        });
    assertThat(explicit.toString()).isEqualTo("ses-smtp limit sending-rate 2 per 100ms");
  }

  @Test
  void scalingShrinksWindowedLimitsToAtLeastOneAndLeavesConnectionLimits() {
    assertThat(Persona.GMAIL_SUBMISSION.scaledLimits(0.001).limits())
        .filteredOn(l -> l.name().equals("daily-messages")).extracting(Persona.Limit::count).containsExactly(2);
    assertThat(Persona.SES_SMTP.scaledLimits(0.001).limits())
        .extracting(Persona.Limit::count).containsExactly(1, 1);
    assertThat(Persona.M365_SUBMISSION.scaledLimits(0.001).limits())
        .extracting(Persona.Limit::count).containsExactly(3);
    assertThatThrownBy(() -> Persona.SES_SMTP.scaledLimits(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above 0");
  }

  @Test
  void situationsBecomeRulesWithTheProvidersReplies() {
    assertThat(Persona.M365_SUBMISSION.with("auth-disabled").rules())
        .extracting(Rule::toString)
        .containsExactly(
            "reply 535 \"5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.\" to AUTH");
    assertThat(Persona.SES_SMTP.rules()).isEmpty();
  }

  @Test
  void badSpecsNameTheColumnAndWhatWasExpected() {
    assertThatThrownBy(() -> Persona.parse("hotmail"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("column 1")
        .hasMessageContaining("gmail-submission, m365-submission, ses-smtp, gmail-mx");
    assertThatThrownBy(() -> Persona.parse("ses-smtp with flooding"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("column 15")
        .hasMessageContaining("throttling, daily-quota-exceeded, unverified-sender");
    assertThatThrownBy(() -> Persona.parse("ses-smtp limit nope 3"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("sending-rate, daily-quota");
    assertThatThrownBy(() -> Persona.parse("ses-smtp limits 0.5"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("x0.001");
    assertThatThrownBy(() -> Persona.named("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPersonaLineInAScriptNamesItsLineAndColumn() {
    assertThatThrownBy(() -> SmtpDouble.builder().script("reply 211 to HELP", "  persona ses-smtp with nope"))
        .isInstanceOf(ScriptException.class)
        .satisfies(e -> {
          ScriptException s = (ScriptException) e;
          assertThat(s.line()).isEqualTo(2);
          assertThat(s.column()).isEqualTo(25);
        });
  }

  @Test
  void rulesAloneCannotChooseAPersonaNorCanARunningDouble() {
    assertThatThrownBy(() -> Rule.parseScript("persona ses-smtp"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("as the double starts");
    try (SmtpDouble smtp = SmtpDouble.start()) {
      assertThatThrownBy(() -> smtp.script("persona ses-smtp")).isInstanceOf(ScriptException.class);
      assertThat(smtp.persona()).isEmpty();
    }
  }

  @Test
  void oneDoubleAnswersAsOnePersona() {
    assertThatThrownBy(() -> SmtpDouble.builder().persona(Persona.SES_SMTP).script("persona gmail-mx"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("ses-smtp was chosen already");
  }

  @Test
  void aPersonaFileMustCiteWhatItClaimsAndUseWhatItDeclares() {
    String head = "persona p\ntitle \"t\"\nversion 1\ndated 2026-12-05\n"
        + "source a https://example.test/a \"A\"\n";
    assertThatThrownBy(() -> PersonaFile.parse("p", head + "hostname h\n"))
        .hasMessageContaining("expected 'cite'");
    assertThatThrownBy(() -> PersonaFile.parse("p", head + "hostname h cite b\n"))
        .hasMessageContaining("source b is cited but not declared");
    assertThatThrownBy(() -> PersonaFile.parse("p", head + "source c https://example.test/c \"C\"\nhostname h cite a\n"))
        .hasMessageContaining("source c is declared but never cited");
    assertThatThrownBy(() -> PersonaFile.parse("p", head + "reply r 454 \"x\" cite a\n"))
        .hasMessageContaining("expected 'means'");
    assertThatThrownBy(() -> PersonaFile.parse("p", head + "hostname h cite a\nuse r for greeting\n"))
        .hasMessageContaining("use r for greeting: no such reply");
    assertThatThrownBy(() -> PersonaFile.parse("p", head + "hostname h cite a\nsituation s rule reply 211 to HELP\n"))
        .hasMessageContaining("describe situation s first");
    assertThat(PersonaFile.parse("p", head + "hostname h cite a note \"n\"\n").settings)
        .singleElement().satisfies(s -> assertThat(s.note()).isEqualTo("n"));
  }

  @Test
  void aSentReplyIsFoundAsTheProvidersEvenWithTheSenderFilledIn() {
    Reply sent = new Reply(554, List.of("Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: app@example.test"));
    assertThat(Persona.SES_SMTP.quoteOf(sent)).map(Persona.Quote::id).contains("not-verified");
    assertThat(Persona.SES_SMTP.quoteOf(Reply.of(250, "Ok"))).isEmpty();
  }
}
