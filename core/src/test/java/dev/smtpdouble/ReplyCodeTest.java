package dev.smtpdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ReplyCodeTest {

  /** The codes of RFC 5321 §4.2.3, in its order. */
  private static final List<Integer> RFC_5321 =
      List.of(
          211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504,
          550, 551, 552, 553, 554, 555);

  /** RFC 7504 (521, 556), RFC 4954 (AUTH) and RFC 3207 (STARTTLS). */
  private static final List<Integer> LATER =
      List.of(521, 556, 235, 334, 432, 454, 530, 534, 535, 538);

  @Test
  void everyRfc5321CodeIsCompleteAndInItsClass() {
    for (int number : RFC_5321) {
      ReplyCode code = ReplyCode.of(number);
      assertComplete(code);
      assertThat(code.rfc()).as("%d", number).contains("RFC 5321");
    }
  }

  @Test
  void theCodesOfLaterRfcsAreCompleteToo() {
    for (int number : LATER) {
      assertComplete(ReplyCode.of(number));
    }
    assertThat(ReplyCode.of(521).rfc()).contains("RFC 7504");
    assertThat(ReplyCode.of(556).rfc()).contains("RFC 7504");
    assertThat(ReplyCode.of(535).rfc()).contains("RFC 4954");
    assertThat(ReplyCode.of(454).rfc()).contains("RFC 3207").contains("RFC 4954");
    assertThat(ReplyCode.of(530).rfc()).contains("RFC 3207").contains("RFC 4954");
  }

  private static void assertComplete(ReplyCode code) {
    String what = Integer.toString(code.code());
    assertThat(code.replyClass()).as(what).isNotNull();
    assertThat(code.replyClass().digit()).as(what).isEqualTo(code.code() / 100);
    assertThat(code.name()).as(what).isNotBlank();
    assertThat(code.meaning()).as(what).isNotBlank();
    assertThat(code.whenSeen()).as(what).isNotBlank();
    assertThat(code.whatToDo()).as(what).isNotBlank();
    assertThat(code.rfc()).as(what).isNotBlank().startsWith("RFC ");
    assertThat(code.summary()).as(what).startsWith(code.code() + " " + code.name() + " — ");
    assertThat(code.explain()).as(what).startsWith(code.summary() + "\n");
  }

  @Test
  void theCatalogueHoldsExactlyTheseCodesInAscendingOrder() {
    List<Integer> expected =
        java.util.stream.Stream.concat(RFC_5321.stream(), LATER.stream())
            .sorted()
            .collect(Collectors.toList());
    assertThat(ReplyCode.all()).extracting(ReplyCode::code).containsExactlyElementsOf(expected);
    assertThatThrownBy(() -> ReplyCode.all().add(ReplyCode.of(250)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void standardTexts() {
    assertThat(ReplyCode.of(354).standardText())
        .isEqualTo("End data with <CR><LF>.<CR><LF>");
    assertThat(ReplyCode.of(250).standardText()).isEqualTo("Requested mail action okay, completed");
    assertThat(ReplyCode.of(221).standardText()).isEqualTo("Service closing transmission channel");
    assertThat(ReplyCode.of(211).standardText()).isEqualTo("System status, or system help reply");
    assertThat(ReplyCode.of(334).standardText()).isEmpty();
    for (ReplyCode code : ReplyCode.all()) {
      assertThat(code.standardText())
          .as("%d", code.code())
          .doesNotContain("<domain>", "localhost")
          .doesNotMatch("^[245]\\.[0-9]+\\.[0-9]+.*");
      if (code.code() != 334) {
        assertThat(code.standardText()).as("%d", code.code()).isNotBlank();
      }
    }
  }

  @Test
  void defaultEnhancedCodesExistAndMatchTheClass() {
    assertThat(ReplyCode.of(250).defaultEnhancedCode()).contains("2.0.0");
    assertThat(ReplyCode.of(421).defaultEnhancedCode()).contains("4.3.2");
    assertThat(ReplyCode.of(535).defaultEnhancedCode()).contains("5.7.8");
    assertThat(ReplyCode.of(220).defaultEnhancedCode()).isEmpty();
    for (ReplyCode code : ReplyCode.all()) {
      if (code.replyClass() == ReplyClass.POSITIVE_INTERMEDIATE) {
        assertThat(code.defaultEnhancedCode()).as("%d", code.code()).isEmpty();
      } else if (code.code() != 220) {
        String enhanced = code.defaultEnhancedCode().orElseThrow();
        EnhancedStatusCode entry = EnhancedStatusCode.of(enhanced);
        assertThat(entry.codeClass()).as("%d", code.code()).isEqualTo(code.code() / 100);
        assertThat(entry.replyClass()).isEqualTo(code.replyClass());
      }
    }
  }

  @Test
  void code211IsAPositiveCompletionToHelpOrStatusWithNothingToFix() {
    ReplyCode code = ReplyCode.of(211);
    assertThat(code.replyClass()).isEqualTo(ReplyClass.POSITIVE_COMPLETION);
    assertThat(code.name()).isEqualTo("System status");
    assertThat(code.explain())
        .contains("positive completion")
        .contains("HELP")
        .contains("status")
        .contains("nothing to fix");
  }

  @Test
  void code354IsAPositiveIntermediateAfterDataWithDotStuffing() {
    ReplyCode code = ReplyCode.of(354);
    assertThat(code.replyClass()).isEqualTo(ReplyClass.POSITIVE_INTERMEDIATE);
    assertThat(code.meaning())
        .contains("positive intermediate reply after DATA")
        .contains("CRLF.CRLF")
        .contains("dot-stuffed")
        .contains("starts with a period");
    assertThat(code.whatToDo()).contains("dot-stuffing");
    assertThat(code.explain()).contains("after DATA", "CRLF.CRLF", "dot-stuff", "period");
  }

  @Test
  void summaryRendersCodeNameClassAndShortMeaning() {
    assertThat(ReplyCode.of(354).summary())
        .isEqualTo(
            "354 Start mail input — positive intermediate: the server waits for the message"
                + " body, ended by CRLF.CRLF");
    assertThat(ReplyCode.of(354)).hasToString(ReplyCode.of(354).summary());
  }

  @Test
  void explainListsEverySectionWithinOneHundredColumns() {
    for (ReplyCode code : ReplyCode.all()) {
      String text = code.explain();
      assertThat(text).contains("Class:", "Meaning:", "When seen:", "What to do:", "Reference:");
      assertThat(text).contains(code.rfc()).contains(code.replyClass().description());
      String[] lines = text.split("\n");
      for (int i = 1; i < lines.length; i++) {
        assertThat(lines[i].length()).as("%d: %s", code.code(), lines[i]).isLessThanOrEqualTo(100);
      }
    }
    assertThat(ReplyCode.of(550).explain()).contains("550 5.1.1 Requested action not taken");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 199, 299, 356, 422, 599, 600, 1000})
  void unknownCodesAreRefusedByOfAndAbsentFromFind(int number) {
    assertThat(ReplyCode.find(number)).isEmpty();
    assertThatThrownBy(() -> ReplyCode.of(number))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(number + " is not a known SMTP reply code");
  }

  @Test
  void findAndOfReturnTheSameEntry() {
    assertThat(ReplyCode.find(354)).containsSame(ReplyCode.of(354));
  }

  @Test
  void equalityIsByCode() {
    assertThat(ReplyCode.of(250)).isEqualTo(ReplyCode.of(250)).isNotEqualTo(ReplyCode.of(251));
    assertThat(ReplyCode.of(250).hashCode()).isEqualTo(ReplyCode.of(250).hashCode());
    assertThat(ReplyCode.of(250)).isNotEqualTo("250");
  }
}
