package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.internal.capture.MessageData;
import java.util.Arrays;

/**
 * Collects message data in blocks. A small message is then copied once into an array of its exact
 * size, and the blocks are reused for the next; a large one keeps its blocks (only the last, partly
 * filled one is trimmed), so it is never copied whole and never held in one huge array.
 */
final class GrowableBytes {
  private static final int FIRST_BLOCK = 16 * 1024;
  private static final int MAX_BLOCK = MessageData.BLOCK;
  private static final int SMALL = 64 * 1024;
  private static final long KEEP_AT_MOST = 4L * 1024 * 1024;

  private byte[][] blocks = new byte[4][];
  private int blockCount;
  private int current;
  private int position;
  private int size;

  void reset() {
    long kept = 0;
    int keep = 0;
    while (keep < blockCount && kept + blocks[keep].length <= KEEP_AT_MOST) {
      kept += blocks[keep].length;
      keep++;
    }
    for (int i = keep; i < blockCount; i++) {
      blocks[i] = null;
    }
    blockCount = keep;
    current = 0;
    position = 0;
    size = 0;
  }

  int size() {
    return size;
  }

  void write(byte[] bytes, int offset, int length) {
    int off = offset;
    int left = length;
    while (left > 0) {
      if (current == blockCount) {
        addBlock();
      }
      byte[] block = blocks[current];
      int n = Math.min(left, block.length - position);
      System.arraycopy(bytes, off, block, position, n);
      position += n;
      off += n;
      left -= n;
      size += n;
      if (position == block.length) {
        current++;
        position = 0;
      }
    }
  }

  /**
   * The data collected, as the message keeps it; the collector is empty afterwards.
   *
   * @return the data
   */
  MessageData detach() {
    if (size <= SMALL) {
      MessageData small = MessageData.of(toArray());
      reset();
      return small;
    }
    int full = current;
    byte[][] out = new byte[full + (position > 0 ? 1 : 0)][];
    System.arraycopy(blocks, 0, out, 0, full);
    if (position > 0) {
      out[full] = Arrays.copyOf(blocks[full], position);
    }
    MessageData data = MessageData.ofBlocks(out, size);
    for (int i = 0; i < blockCount; i++) {
      blocks[i] = null; // the message owns them now
    }
    blockCount = 0;
    current = 0;
    position = 0;
    size = 0;
    return data;
  }

  byte[] toArray() {
    byte[] out = new byte[size];
    int pos = 0;
    for (int i = 0; i < blockCount && pos < size; i++) {
      int n = Math.min(blocks[i].length, size - pos);
      System.arraycopy(blocks[i], 0, out, pos, n);
      pos += n;
    }
    return out;
  }

  private void addBlock() {
    if (blockCount == blocks.length) {
      blocks = Arrays.copyOf(blocks, blockCount * 2);
    }
    int blockSize = blockCount == 0 ? FIRST_BLOCK : Math.min(MAX_BLOCK, blocks[blockCount - 1].length * 2);
    blocks[blockCount++] = new byte[blockSize];
  }
}
