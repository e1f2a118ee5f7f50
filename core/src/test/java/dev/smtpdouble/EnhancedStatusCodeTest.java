package dev.smtpdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class EnhancedStatusCodeTest {

  /** The highest detail RFC 3463 §3 defines for each subject X.0 to X.7. */
  private static final int[] RFC_3463_LAST_DETAIL = {0, 8, 4, 5, 7, 5, 5, 7};

  /** The RFC 3463 codes that can report a success, and so also exist in class 2. */
  private static final Set<String> SUCCESS =
      Set.of("0.0", "1.0", "1.5", "6.0", "6.4", "7.0", "7.7");

  /** The only RFC 3463 code that reports a success alone, and so has no failure classes. */
  private static final Set<String> SUCCESS_ONLY = Set.of("1.5");

  @Test
  void everyRfc3463CodeExistsInTheClassesItReports() {
    for (int subject = 0; subject < RFC_3463_LAST_DETAIL.length; subject++) {
      for (int detail = 0; detail <= RFC_3463_LAST_DETAIL[subject]; detail++) {
        String key = subject + "." + detail;
        boolean success = SUCCESS.contains(key);
        boolean failure = !SUCCESS_ONLY.contains(key);
        assertThat(EnhancedStatusCode.find("2." + key).isPresent())
            .as("2." + key)
            .isEqualTo(success);
        assertThat(EnhancedStatusCode.find("4." + key).isPresent())
            .as("4." + key)
            .isEqualTo(failure);
        assertThat(EnhancedStatusCode.find("5." + key).isPresent())
            .as("5." + key)
            .isEqualTo(failure);
        for (String c : List.of("2", "4", "5")) {
          EnhancedStatusCode.find(c + "." + key)
              .ifPresent(code -> assertThat(code.rfc()).as(code.code()).contains("RFC 3463"));
        }
      }
    }
  }

  @Test
  void laterRegistrationsCarryTheirOwnRfc() {
    assertThat(EnhancedStatusCode.of("5.5.6").rfc()).contains("RFC 4954");
    assertThat(EnhancedStatusCode.of("5.7.8").rfc()).contains("RFC 4954");
    assertThat(EnhancedStatusCode.of("5.7.9").rfc()).contains("RFC 4954");
    assertThat(EnhancedStatusCode.of("5.7.11").rfc()).contains("RFC 4954");
    assertThat(EnhancedStatusCode.of("4.7.12").rfc()).contains("RFC 4954");
    assertThat(EnhancedStatusCode.of("5.7.10").rfc()).contains("RFC 5248");
    assertThat(EnhancedStatusCode.of("5.7.13").rfc()).contains("RFC 5248");
    assertThat(EnhancedStatusCode.of("5.7.14").rfc()).contains("RFC 5248");
    assertThat(EnhancedStatusCode.of("5.6.6").rfc()).contains("RFC 4468");
    for (String code : List.of("5.6.7", "5.6.8", "5.6.9", "5.6.10")) {
      assertThat(EnhancedStatusCode.of(code).rfc()).as(code).contains("RFC 6531");
    }
    assertThat(EnhancedStatusCode.of("2.3.6").rfc()).contains("RFC 6710");
    assertThat(EnhancedStatusCode.of("4.7.15").rfc()).contains("RFC 6710");
    assertThat(EnhancedStatusCode.of("5.7.16").rfc()).contains("RFC 6710");
    for (String code : List.of("5.7.17", "5.7.18", "5.7.19")) {
      assertThat(EnhancedStatusCode.of(code).rfc()).as(code).contains("RFC 7293");
    }
    for (int detail = 20; detail <= 26; detail++) {
      assertThat(EnhancedStatusCode.of("5.7." + detail).rfc()).contains("RFC 7372");
    }
    assertThat(EnhancedStatusCode.of("5.1.10").rfc()).contains("RFC 7505");
    assertThat(EnhancedStatusCode.of("5.7.27").rfc()).contains("RFC 7505");
    assertThat(EnhancedStatusCode.of("5.7.29").rfc()).contains("RFC 8617");
    assertThat(EnhancedStatusCode.of("5.7.30").rfc()).contains("RFC 8689");
    assertThat(EnhancedStatusCode.of("2.1.9").rfc()).contains("RFC 3886");
  }

  @Test
  void codesWhoseOriginIsUncertainAreLeftOut() {
    assertThat(EnhancedStatusCode.find("5.7.28")).isEmpty();
  }

  @Test
  void everyEntryIsComplete() {
    for (EnhancedStatusCode code : EnhancedStatusCode.all()) {
      String what = code.code();
      assertThat(code.codeClass()).as(what).isIn(2, 4, 5);
      assertThat(code.replyClass().digit()).as(what).isEqualTo(code.codeClass());
      assertThat(code.code())
          .isEqualTo(code.codeClass() + "." + code.subject() + "." + code.detail());
      assertThat(code.subjectName()).as(what).isNotBlank();
      assertThat(code.name()).as(what).isNotBlank();
      assertThat(code.meaning()).as(what).isNotBlank();
      assertThat(code.whenSeen()).as(what).isNotBlank();
      assertThat(code.whatToDo()).as(what).isNotBlank();
      assertThat(code.rfc()).as(what).startsWith("RFC ");
      assertThat(code.classDescription()).as(what).isNotBlank();
      assertThat(code.summary())
          .as(what)
          .startsWith(what + " " + code.name() + " — " + code.classDescription() + ": ");
      assertThat(code).hasToString(code.summary());
      String explain = code.explain();
      assertThat(explain).startsWith(code.summary() + "\n").contains(code.subjectName());
      String[] lines = explain.split("\n");
      for (int i = 1; i < lines.length; i++) {
        assertThat(lines[i].length()).as("%s: %s", what, lines[i]).isLessThanOrEqualTo(100);
      }
    }
  }

  @Test
  void allIsSortedUniqueAndUnmodifiable() {
    List<EnhancedStatusCode> all = EnhancedStatusCode.all();
    List<EnhancedStatusCode> sorted = new ArrayList<>(all);
    sorted.sort(
        Comparator.comparingInt(EnhancedStatusCode::codeClass)
            .thenComparingInt(EnhancedStatusCode::subject)
            .thenComparingInt(EnhancedStatusCode::detail));
    assertThat(all).containsExactlyElementsOf(sorted);
    assertThat(all.stream().map(EnhancedStatusCode::code).collect(Collectors.toSet()))
        .hasSameSizeAs(all);
    assertThatThrownBy(() -> all.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    for (EnhancedStatusCode code : all) {
      assertThat(EnhancedStatusCode.of(code.code())).isSameAs(code);
    }
  }

  @Test
  void code571() {
    EnhancedStatusCode code = EnhancedStatusCode.of("5.7.1");
    assertThat(code.codeClass()).isEqualTo(5);
    assertThat(code.subject()).isEqualTo(7);
    assertThat(code.detail()).isEqualTo(1);
    assertThat(code.code()).isEqualTo("5.7.1");
    assertThat(code.replyClass()).isEqualTo(ReplyClass.PERMANENT_NEGATIVE);
    assertThat(code.subjectName()).isEqualTo("Security or Policy Status");
    assertThat(code.name()).isEqualTo("Delivery not authorized, message refused");
    assertThat(code.summary())
        .startsWith("5.7.1 Delivery not authorized, message refused — permanent failure: ");
  }

  @Test
  void classesShareTheMeaningButNotTheClass() {
    EnhancedStatusCode permanent = EnhancedStatusCode.of("5.7.1");
    EnhancedStatusCode transientOne = EnhancedStatusCode.of("4.7.1");
    assertThat(transientOne.meaning()).isEqualTo(permanent.meaning());
    assertThat(transientOne.name()).isEqualTo(permanent.name());
    assertThat(transientOne).isNotEqualTo(permanent);
    assertThat(transientOne.replyClass()).isEqualTo(ReplyClass.TRANSIENT_NEGATIVE);
    assertThat(transientOne.classDescription()).isEqualTo("persistent transient failure");
    assertThat(EnhancedStatusCode.of("2.0.0").replyClass())
        .isEqualTo(ReplyClass.POSITIVE_COMPLETION);
    assertThat(EnhancedStatusCode.of("2.0.0").classDescription()).isEqualTo("success");
  }

  @Test
  void aDetailUsedAgainstTheRfcsIntentGetsANote() {
    assertThat(EnhancedStatusCode.of("4.7.1").explain()).contains("Note:", "5.7.1");
    assertThat(EnhancedStatusCode.of("5.7.1").explain()).doesNotContain("Note:");
    assertThat(EnhancedStatusCode.of("5.4.5").explain()).contains("Note:", "4.4.5");
  }

  @Test
  void equalityIsByCode() {
    assertThat(EnhancedStatusCode.of("5.1.1"))
        .isEqualTo(EnhancedStatusCode.find("5.1.1").orElseThrow())
        .hasSameHashCodeAs(EnhancedStatusCode.of("5.1.1"))
        .isNotEqualTo(EnhancedStatusCode.of("4.1.1"))
        .isNotEqualTo("5.1.1");
  }

  @Test
  void leadingZerosAreReadAsNumbers() {
    assertThat(EnhancedStatusCode.of("5.07.001").code()).isEqualTo("5.7.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "5",
        "5.7",
        "5.7.1.2",
        "57.1",
        "5.7.1 ",
        " 5.7.1",
        "5.7.1000",
        "a.b.c",
        "5..1",
        "5.7.x",
        "X.7.1"
      })
  void malformedCodesAreRefused(String code) {
    assertThat(EnhancedStatusCode.find(code)).isEmpty();
    assertThatThrownBy(() -> EnhancedStatusCode.of(code))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + code + "'")
        .hasMessageContaining("class.subject.detail");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1.1", "3.0.0", "6.7.1", "0.0.0"})
  void otherClassesAreRefused(String code) {
    assertThat(EnhancedStatusCode.find(code)).isEmpty();
    assertThatThrownBy(() -> EnhancedStatusCode.of(code))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(code)
        .hasMessageContaining("class must be 2, 4 or 5");
  }

  @Test
  void unknownDetailsAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> EnhancedStatusCode.of("5.9.9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("5.9.9 is not a known enhanced status code");
    assertThatThrownBy(() -> EnhancedStatusCode.of("5.7.99"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("5.7.99 is not a known enhanced status code");
    assertThatThrownBy(() -> EnhancedStatusCode.of("5.1.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("5.1.5 is not a known enhanced status code")
        .hasMessageContaining("2.1.5");
    assertThatThrownBy(() -> EnhancedStatusCode.of("2.2.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4.2.2 or 5.2.2");
    assertThatThrownBy(() -> EnhancedStatusCode.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void fromReplyTextReadsALeadingCode() {
    assertThat(EnhancedStatusCode.fromReplyText("5.7.1 Message rejected"))
        .contains(EnhancedStatusCode.of("5.7.1"));
    assertThat(EnhancedStatusCode.fromReplyText("2.0.0")).contains(EnhancedStatusCode.of("2.0.0"));
    assertThat(EnhancedStatusCode.fromReplyText("4.2.2\tMailbox full"))
        .contains(EnhancedStatusCode.of("4.2.2"));
    assertThat(EnhancedStatusCode.fromReplyText("5.1.10 Recipient address has null MX"))
        .contains(EnhancedStatusCode.of("5.1.10"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Message rejected",
        "Message rejected 5.7.1",
        " 5.7.1 leading space",
        "5.7.1x",
        "5.7.1.2 more",
        "5.7.1: rejected",
        "550 5.7.1 rejected",
        "5.9.9 unknown",
        "3.0.0 wrong class",
        "5.7 short",
        "5.1.5 valid only as 2.1.5"
      })
  void fromReplyTextFindsNothingWithoutAKnownLeadingCode(String text) {
    assertThat(EnhancedStatusCode.fromReplyText(text)).isEmpty();
  }
}
