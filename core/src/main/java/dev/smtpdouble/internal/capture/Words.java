package dev.smtpdouble.internal.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte arrays read eight bytes at a time, for the scans that run over every octet of message data
 * (reading it off the wire, finding line ends, checking lines are plain text): one test per word
 * instead of one per byte.
 */
public final class Words {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Words() {}

  /**
   * The eight bytes from {@code offset} on, the first of them in the lowest byte.
   *
   * @param bytes the array, with at least eight bytes from {@code offset}
   * @param offset where the word starts
   * @return the word
   */
  public static long at(byte[] bytes, int offset) {
    return (long) LONGS.get(bytes, offset);
  }

  /**
   * Where a byte equals {@code value}: the high bit is set in the first such byte of the word (and
   * possibly in later bytes, which only {@link #first} should be asked about); 0 when none does.
   */
  static long find(long word, int value) {
    long x = word ^ (ONES * value);
    return (x - ONES) & ~x & HIGHS;
  }

  /** The index, 0 to 7, of the first byte {@link #find} marked. */
  static int first(long found) {
    return Long.numberOfTrailingZeros(found) >>> 3;
  }

  /**
   * Whether all eight bytes are 0x0E to 0x7F: none is a CR or LF (nor another byte below 0x0E) and
   * none has its 8th bit set. Message data read off the wire needs a closer look only where this
   * is false.
   *
   * @param word eight bytes, as {@link #at} reads them
   * @return true when every byte is within 0x0E to 0x7F
   */
  public static boolean noLineEndNorEightBit(long word) {
    // a byte under 0x0E borrows, which sets a high bit; a byte of 0x80 or more has it already
    return (((word - ONES * 0x0E) | word) & HIGHS) == 0;
  }

  /** Whether all eight bytes are printable ASCII, 0x20 to 0x7E, and none is a backslash. */
  static boolean printableNoBackslash(long word) {
    long below = (word - ONES * 0x20) & ~word & HIGHS; // a byte under 0x20 (among those under 0x80)
    return ((word & HIGHS) | below | find(word, 0x7F) | find(word, '\\')) == 0;
  }
}
