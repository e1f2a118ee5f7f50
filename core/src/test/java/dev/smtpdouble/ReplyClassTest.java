package dev.smtpdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ReplyClassTest {

  @Test
  void classFollowsTheFirstDigit() {
    assertThat(ReplyClass.of(200)).isEqualTo(ReplyClass.POSITIVE_COMPLETION);
    assertThat(ReplyClass.of(250)).isEqualTo(ReplyClass.POSITIVE_COMPLETION);
    assertThat(ReplyClass.of(354)).isEqualTo(ReplyClass.POSITIVE_INTERMEDIATE);
    assertThat(ReplyClass.of(421)).isEqualTo(ReplyClass.TRANSIENT_NEGATIVE);
    assertThat(ReplyClass.of(499)).isEqualTo(ReplyClass.TRANSIENT_NEGATIVE);
    assertThat(ReplyClass.of(599)).isEqualTo(ReplyClass.PERMANENT_NEGATIVE);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 199, 600, 1000})
  void codesOutside200To599AreRefused(int code) {
    assertThatThrownBy(() -> ReplyClass.of(code))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Integer.toString(code))
        .hasMessageContaining("200 to 599");
  }

  @Test
  void digitsDescriptionsAndMeanings() {
    assertThat(ReplyClass.values()).extracting(ReplyClass::digit).containsExactly(2, 3, 4, 5);
    assertThat(ReplyClass.POSITIVE_COMPLETION.description()).isEqualTo("positive completion");
    assertThat(ReplyClass.POSITIVE_INTERMEDIATE.description()).isEqualTo("positive intermediate");
    assertThat(ReplyClass.TRANSIENT_NEGATIVE.meaning()).contains("retry");
    assertThat(ReplyClass.PERMANENT_NEGATIVE.meaning()).contains("fail again");
    for (ReplyClass c : ReplyClass.values()) {
      assertThat(c.description()).isNotBlank();
      assertThat(c.meaning()).isNotBlank();
      assertThat(ReplyClass.of(c.digit() * 100 + 50)).isEqualTo(c);
    }
  }
}
