package dev.smtpdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lookups over whole input ranges: every code-shaped string up to class 9, subject 12 and detail
 * 40, every integer from -1000 to 2000, and seeded random texts.
 */
@Timeout(10)
class CatalogueLookupTest {

  @Test
  void ofAndFindAgreeOnEveryCodeShapedString() {
    int known = 0;
    for (int c = 0; c <= 9; c++) {
      for (int s = 0; s <= 12; s++) {
        for (int d = 0; d <= 40; d++) {
          String code = c + "." + s + "." + d;
          Optional<EnhancedStatusCode> found = EnhancedStatusCode.find(code);
          if (found.isPresent()) {
            known++;
            assertThat(EnhancedStatusCode.of(code)).isSameAs(found.get());
            assertThat(found.get().code()).isEqualTo(code);
            assertThat(EnhancedStatusCode.fromReplyText(code + " text")).isEqualTo(found);
          } else {
            assertThatThrownBy(() -> EnhancedStatusCode.of(code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(code);
            assertThat(EnhancedStatusCode.fromReplyText(code + " text")).isEmpty();
          }
        }
      }
    }
    assertThat(known).isEqualTo(EnhancedStatusCode.all().size());
  }

  @Test
  void ofAndFindAgreeOnEveryReplyCodeNumber() {
    int known = 0;
    for (int number = -1000; number <= 2000; number++) {
      Optional<ReplyCode> found = ReplyCode.find(number);
      if (found.isPresent()) {
        known++;
        assertThat(ReplyCode.of(number)).isSameAs(found.get());
      } else {
        int n = number;
        assertThatThrownBy(() -> ReplyCode.of(n))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(n + " is not a known SMTP reply code");
      }
    }
    assertThat(known).isEqualTo(ReplyCode.all().size());
  }

  @Test
  void randomTextsNeverThrowAndOnlyMatchALeadingCode() {
    Random random = new Random(5321);
    String alphabet = "0123456789.. \t-xX5247\r\n";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = text.toString();
      Optional<EnhancedStatusCode> found = EnhancedStatusCode.fromReplyText(s);
      found.ifPresent(
          code -> assertThat(s).as("'%s'", s).matches("(?s)[245]\\.[0-9]+\\.[0-9]+([ \t].*)?"));
      EnhancedStatusCode.find(s).ifPresent(code -> assertThat(found).contains(code));
    }
  }
}
