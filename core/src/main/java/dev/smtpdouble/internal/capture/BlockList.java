package dev.smtpdouble.internal.capture;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * An unmodifiable list filled once, in blocks of {@value #BLOCK} elements: the lines of a session
 * (or of a transcript) with a large message number in the hundreds of thousands, and one array holding them all would
 * be a humongous object for G1 (half a region or more) where these blocks never are.
 *
 * @param <E> the element type
 */
public final class BlockList<E> extends AbstractList<E> implements RandomAccess {
  private static final int SHIFT = 12;
  private static final int BLOCK = 1 << SHIFT;

  private Object[][] blocks = new Object[1][];
  private int size;

  /** An empty list, to be filled with {@link #append} before anyone else sees it. */
  public BlockList() {}

  /**
   * Appends, while the list is being filled, before anyone else sees it.
   *
   * @param element the next element
   */
  public void append(E element) {
    int block = size >>> SHIFT;
    if (block == blocks.length) {
      blocks = Arrays.copyOf(blocks, block * 2);
    }
    if (blocks[block] == null) {
      blocks[block] = new Object[size == 0 ? 16 : BLOCK];
    } else if ((size & (BLOCK - 1)) == blocks[block].length) {
      blocks[block] = Arrays.copyOf(blocks[block], BLOCK); // the first block starts small
    }
    blocks[block][size & (BLOCK - 1)] = element;
    size++;
  }

  @Override
  @SuppressWarnings("unchecked")
  public E get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size + " lines");
    }
    return (E) blocks[index >>> SHIFT][index & (BLOCK - 1)];
  }

  @Override
  public int size() {
    return size;
  }
}
