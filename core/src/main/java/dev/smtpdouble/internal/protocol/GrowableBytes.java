package dev.smtpdouble.internal.protocol;

import java.util.Arrays;

/**
 * Collects message data in blocks that a session reuses from message to message, then copies it
 * once into an array of the exact size: the only copy the captured message holds.
 */
final class GrowableBytes {
  private static final int FIRST_BLOCK = 16 * 1024;
  private static final int MAX_BLOCK = 1024 * 1024;
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
