package dev.smtpdouble.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The word-at-a-time tests answer exactly what a byte-by-byte loop over the same eight bytes does. */
class WordsTest {

  @Property(tries = 3000)
  void findMarksTheFirstByteOfTheValue(
      @ForAll("eightBytes") byte[] bytes, @ForAll("interesting") byte value) {
    int expected = -1;
    for (int i = 0; i < 8; i++) {
      if (bytes[i] == value) {
        expected = i;
        break;
      }
    }
    long found = Words.find(Words.at(bytes, 0), value & 0xFF);
    if (expected < 0) {
      assertThat(found).isZero();
    } else {
      assertThat(found).isNotZero();
      assertThat(Words.first(found)).isEqualTo(expected);
    }
  }

  @Property(tries = 3000)
  void printableNoBackslashAsEachByteSays(@ForAll("eightBytes") byte[] bytes) {
    boolean expected = true;
    for (byte b : bytes) {
      expected &= b >= 0x20 && b <= 0x7E && b != '\\';
    }
    assertThat(Words.printableNoBackslash(Words.at(bytes, 0))).isEqualTo(expected);
  }

  @Property(tries = 3000)
  void noLineEndNorEightBitAsEachByteSays(@ForAll("eightBytes") byte[] bytes) {
    boolean expected = true;
    for (byte b : bytes) {
      expected &= b >= 0x0E; // a signed byte: 0x80 and above are negative
    }
    assertThat(Words.noLineEndNorEightBit(Words.at(bytes, 0))).isEqualTo(expected);
  }

  @Property(tries = 200)
  void theWordAtAnOffsetHoldsTheBytesFromThereOn(@ForAll("eightBytes") byte[] bytes) {
    byte[] longer = new byte[11];
    System.arraycopy(bytes, 0, longer, 3, 8);
    long word = Words.at(longer, 3);
    for (int i = 0; i < 8; i++) {
      assertThat((byte) (word >>> (8 * i))).isEqualTo(bytes[i]);
    }
  }

  @Provide
  Arbitrary<byte[]> eightBytes() {
    // the boundary values of every test, often, and any byte now and then
    Arbitrary<Byte> one =
        Arbitraries.oneOf(interesting(), interesting(), Arbitraries.bytes().between((byte) 0x20, (byte) 0x7E),
            Arbitraries.bytes());
    return one.array(byte[].class).ofSize(8);
  }

  @Provide
  Arbitrary<Byte> interesting() {
    return Arbitraries.of(
        (byte) '\r', (byte) '\n', (byte) '\t', (byte) '\\', (byte) 0x1F, (byte) 0x20, (byte) 0x7E,
        (byte) 0x7F, (byte) 0x80, (byte) 0xFF, (byte) 0x00, (byte) 0x0E, (byte) 0x8D, (byte) 0x5B,
        (byte) 0x5D);
  }
}
