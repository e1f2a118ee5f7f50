package dev.smtpdouble.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The transcript header's time: exactly {@link Instant#toString()}, whatever the instant. */
class IsoInstantTest {

  private static String rendered(Instant instant) {
    return IsoInstant.appendTo(new StringBuilder(), instant).toString();
  }

  @Test
  void rendersAsInstantToStringDoesAtTheEdgesOfItsRangeAndBeyond() {
    long[] seconds = {
      0, -1, 1, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 4_107_542_400L /* 2100-03-01 */,
      -62_167_219_200L /* year 0 */, -62_167_219_201L, 253_402_300_799L /* 9999-12-31T23:59:59 */,
      253_402_300_800L /* year 10000 */, Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()
    };
    int[] nanos = {0, 1, 999_999_999, 1_000, 120_000, 5_000_000, 123_456_789, 100_000_000};
    for (long second : seconds) {
      for (int nano : nanos) {
        Instant instant = Instant.ofEpochSecond(second, nano);
        assertThat(rendered(instant)).as("%s", instant).isEqualTo(instant.toString());
      }
    }
    assertThat(rendered(Instant.parse("2026-12-05T12:07:18.123456Z")))
        .isEqualTo("2026-12-05T12:07:18.123456Z");
  }

  @Test
  void rendersAsInstantToStringDoesForInstantsFromYearZeroTo9999() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(-62_167_219_200L, 253_402_300_800L);
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(second, nano);
      assertThat(rendered(instant)).isEqualTo(instant.toString());
    }
  }

  @Test
  void appendsToWhatIsThere() {
    StringBuilder out = new StringBuilder("at ");
    assertThat(IsoInstant.appendTo(out, Instant.EPOCH)).isSameAs(out);
    assertThat(out).hasToString("at 1970-01-01T00:00:00Z");
  }
}
