package dev.smtpdouble.internal.capture;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
   * The first block: enough to read a header section without joining a large message.
   *
   * @return the first block, for reading only
   */
  public byte[] head() {
    return blocks[0];
  }

  /**
   * Whether the data is one block.
   *
   * @return true when {@link #head()} is all of it
   */
  public boolean single() {
    return blocks.length == 1;
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
