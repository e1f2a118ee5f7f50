package dev.smtpdouble.internal.capture;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A message's exact data, held once and never changed. Small messages are one array of the exact
 * size; large ones stay in the blocks they were read into (at most {@value #BLOCK} octets each),
 * so that neither a second full copy nor one huge array (which garbage collectors treat as a
 * humongous object) is ever made for them.
 */
public final class MessageData {
  /** The largest block: well below half of the smallest G1 region, so never humongous. */
  public static final int BLOCK = 256 * 1024;

  /** No data. */
  public static final MessageData EMPTY = new MessageData(new byte[][] {new byte[0]}, 0);

  private final byte[][] blocks;
  private final long length;

  private MessageData(byte[][] blocks, long length) {
    this.blocks = blocks;
    this.length = length;
  }

  /**
   * Data in one array, which it takes over (not copied).
   *
   * @param bytes the data
   * @return the data
   */
  public static MessageData of(byte[] bytes) {
    return new MessageData(new byte[][] {bytes}, bytes.length);
  }

  /**
   * Data in blocks, which it takes over; every block is full but the last.
   *
   * @param blocks the blocks, at least one
   * @param length the total length
   * @return the data
   */
  public static MessageData ofBlocks(byte[][] blocks, long length) {
    return new MessageData(blocks, length);
  }

  /**
   * Parts one after the other (BDAT chunks making a message), without copying them.
   *
   * @param parts the parts in order
   * @return the data
   */
  public static MessageData concat(List<MessageData> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<byte[]> all = new ArrayList<>();
    long length = 0;
    for (MessageData part : parts) {
      for (byte[] block : part.blocks) {
        if (block.length > 0) {
          all.add(block);
        }
      }
      length += part.length;
    }
    return all.isEmpty() ? EMPTY : new MessageData(all.toArray(new byte[0][]), length);
  }

  /**
   * The number of octets.
   *
   * @return the length
   */
  public long length() {
    return length;
  }

  /**
   * The data in one array, for reading only: the array itself when the data is one block (do not
   * change it), a new array otherwise.
   *
   * @return the bytes
   */
  public byte[] bytes() {
    return blocks.length == 1 ? blocks[0] : join();
  }

  /**
   * A copy of the data.
   *
   * @return a new array
   */
  public byte[] copy() {
    return blocks.length == 1 ? blocks[0].clone() : join();
  }

  /**
   * The first octets, enough to hold the header section, in one array: the first block when the
   * header section ends in it (no copy), else the first blocks joined until it ends, but never a
   * copy of more than {@code atMost} octets. Only the header section of a large message is ever joined, never the
   * whole message.
   *
   * @param bodyOffset where the body starts in a prefix ({@code MessageText::bodyOffset})
   * @param atMost the most octets to join
   * @return the prefix, for reading only
   */
  public byte[] headerSection(ToIntFunction<byte[]> bodyOffset, int atMost) {
    long joined = 0;
    for (int k = 1; ; k++) {
      joined += blocks[k - 1].length;
      boolean all = k == blocks.length;
      if (k > 1 && joined > atMost) {
        return prefix(atMost); // the first block is read in place; a copy is never larger
      }
      byte[] prefix = k == 1 ? blocks[0] : prefix((int) joined);
      // the body starts before the last line, which the block boundary may have cut
      if (all || bodyOffset.applyAsInt(prefix) < lastLineStart(prefix)) {
        return prefix;
      }
    }
  }

  /**
   * How many CRLF line ends lie wholly before {@code offset}.
   *
   * @param offset where to stop
   * @return the count
   */
  public int crlfBefore(long offset) {
    int count = 0;
    long base = 0;
    boolean cr = false;
    for (byte[] block : blocks) {
      int end = (int) Math.min(block.length, Math.max(0, offset - base));
      for (int i = 0; i < end; i++) {
        byte b = block[i];
        if (b == '\n' && cr) {
          count++;
        }
        cr = b == '\r';
      }
      base += block.length;
      if (base >= offset) {
        break;
      }
    }
    return count;
  }

  /**
   * Whether the data ends with CRLF.
   *
   * @return true when it does
   */
  public boolean endsWithCrlf() {
    if (length < 2) {
      return false;
    }
    byte last = 0;
    byte beforeLast = 0;
    for (int b = blocks.length - 1, seen = 0; b >= 0 && seen < 2; b--) {
      byte[] block = blocks[b];
      for (int i = block.length - 1; i >= 0 && seen < 2; i--, seen++) {
        if (seen == 0) {
          last = block[i];
        } else {
          beforeLast = block[i];
        }
      }
    }
    return beforeLast == '\r' && last == '\n';
  }

  /** Receives the lines of the data. */
  @FunctionalInterface
  public interface LineVisitor {
    /**
     * One line, without its CRLF.
     *
     * @param bytes holds the line, for reading only during the call
     * @param offset where it starts in {@code bytes}
     * @param length its length
     * @param position where it starts in the data
     */
    void line(byte[] bytes, int offset, int length, long position);
  }

  /**
   * Visits the lines split at each CRLF (the part after the last CRLF is a line when not empty),
   * block by block: a line that lies in one block is not copied, one across blocks is copied once.
   *
   * @param visitor receives each line
   */
  public void forEachLine(LineVisitor visitor) {
    byte[] carry = new byte[0];
    int carried = 0;
    long lineStart = 0;
    long base = 0;
    for (byte[] block : blocks) {
      int n = block.length;
      int from = 0;
      if (carried > 0 && carry[carried - 1] == '\r' && n > 0 && block[0] == '\n') {
        visitor.line(carry, 0, carried - 1, lineStart);
        carried = 0;
        from = 1;
        lineStart = base + 1;
      }
      while (true) {
        int cr = crlf(block, from, n);
        if (cr == n) {
          break;
        }
        if (carried > 0) {
          carry = append(carry, carried, block, from, cr - from);
          carried += cr - from;
          visitor.line(carry, 0, carried, lineStart);
          carried = 0;
        } else {
          visitor.line(block, from, cr - from, lineStart);
        }
        from = cr + 2;
        lineStart = base + from;
      }
      if (from < n) {
        carry = append(carry, carried, block, from, n - from);
        carried += n - from;
      }
      base += n;
    }
    if (carried > 0) {
      visitor.line(carry, 0, carried, lineStart);
    }
  }

  private static byte[] append(byte[] carry, int carried, byte[] src, int from, int n) {
    byte[] out = carry;
    if (carried + n > out.length) {
      out = Arrays.copyOf(carry, Math.max(carried + n, Math.max(256, carry.length * 2)));
    }
    System.arraycopy(src, from, out, carried, n);
    return out;
  }

  /** The index of the CR of the next CRLF at or after pos, or end when there is none. */
  private static int crlf(byte[] a, int pos, int end) {
    int i = pos;
    while (i <= end - 8) { // eight bytes at a time to the next CR
      long found = Words.find(Words.at(a, i), '\r');
      if (found == 0) {
        i += 8;
        continue;
      }
      int cr = i + Words.first(found);
      if (cr + 1 < end && a[cr + 1] == '\n') {
        return cr;
      }
      i = cr + 1;
    }
    for (; i < end - 1; i++) {
      if (a[i] == '\r' && a[i + 1] == '\n') {
        return i;
      }
    }
    return end;
  }

  private static int lastLineStart(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  private byte[] prefix(int n) {
    byte[] out = new byte[n];
    int pos = 0;
    for (int i = 0; i < blocks.length && pos < n; i++) {
      int take = Math.min(blocks[i].length, n - pos);
      System.arraycopy(blocks[i], 0, out, pos, take);
      pos += take;
    }
    return out;
  }

  /**
   * A stream over the data, without copying it.
   *
   * @return a new stream
   */
  public InputStream stream() {
    if (blocks.length == 1) {
      return new ByteArrayInputStream(blocks[0]);
    }
    List<InputStream> streams = new ArrayList<>(blocks.length);
    for (byte[] block : blocks) {
      streams.add(new ByteArrayInputStream(block));
    }
    return new SequenceInputStream(Collections.enumeration(streams));
  }

  private byte[] join() {
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "the message is " + length + " octets, too large for one array: read it as a stream");
    }
    byte[] out = new byte[(int) length];
    int pos = 0;
    for (byte[] block : blocks) {
      System.arraycopy(block, 0, out, pos, block.length);
      pos += block.length;
    }
    return out;
  }
}
